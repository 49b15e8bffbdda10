package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;
import dev.myelin.optim.ParamGroup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs schedules one after another, switching at the milestone epochs
 * (torch.optim.lr_scheduler.SequentialLR, 1.13 semantics): creating it resets the lrs to their
 * initial values and restarts the first schedule; at a milestone the next schedule starts from
 * its epoch 0 (closed form). Warmup then cosine:
 * <pre>{@code new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1, 5), new CosineAnnealingLR(opt, 25, 0)), new int[] {5})}</pre>
 */
public final class SequentialLR implements Scheduler {
    private static final String NAME = "SequentialLR";
    private final List<LRScheduler> schedulers;
    private final int[] milestones;
    private int lastEpoch;
    private double[] lastLr;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        if (schedulers.isEmpty()) throw LRScheduler.invalid(NAME, "expects at least one scheduler");
        if (milestones.length != schedulers.size() - 1) {
            throw LRScheduler.invalid(NAME, "expects number of schedulers provided to be one more than the number of milestone points, "
                    + "but got " + schedulers.size() + " schedulers and " + milestones.length + " milestones");
        }
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer != optimizer) {
                throw LRScheduler.invalid(NAME, "expects all schedulers to belong to the same optimizer, but scheduler " + i + " does not");
            }
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.get("initial_lr"));
        for (LRScheduler s : schedulers) s.rewindOneEpoch();
        schedulers.getFirst().initialStep();
        lastLr = schedulers.getFirst().lastLr();
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.stepTo(0);
        else s.step();
        lastLr = s.lastLr();
    }

    @Override
    public double[] lastLr() {
        return lastLr.clone();
    }

    @Override
    public Map<String, String> stateDict() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("scheduler", NAME);
        s.put("last_epoch", Integer.toString(lastEpoch));
        s.put("last_lr", LRScheduler.join(lastLr));
        SchedulerStates.save(schedulers, s);
        return s;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        SchedulerStates.requireKind(NAME, state);
        lastEpoch = Integer.parseInt(state.get("last_epoch"));
        lastLr = LRScheduler.split(state.get("last_lr"));
        SchedulerStates.load(schedulers, state);
    }
}

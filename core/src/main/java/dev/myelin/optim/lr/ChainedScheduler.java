package dev.myelin.optim.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Steps several schedules of the same optimizer together, each multiplying in its recursive form
 * (torch.optim.lr_scheduler.ChainedScheduler), e.g. a constant warmup factor with exponential decay.
 */
public final class ChainedScheduler implements Scheduler {
    private static final String NAME = "ChainedScheduler";
    private final List<LRScheduler> schedulers;

    public ChainedScheduler(List<LRScheduler> schedulers) {
        if (schedulers.isEmpty()) throw LRScheduler.invalid(NAME, "expects at least one scheduler");
        for (LRScheduler s : schedulers) {
            if (s.optimizer != schedulers.getFirst().optimizer) {
                throw LRScheduler.invalid(NAME, "expects all schedulers to belong to the same optimizer");
            }
        }
        this.schedulers = List.copyOf(schedulers);
    }

    @Override
    public void step() {
        for (LRScheduler s : schedulers) s.step();
    }

    @Override
    public double[] lastLr() {
        return schedulers.getLast().optimizer.paramGroups().stream().mapToDouble(g -> g.lr()).toArray();
    }

    @Override
    public Map<String, String> stateDict() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("scheduler", NAME);
        SchedulerStates.save(schedulers, s);
        return s;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        SchedulerStates.requireKind(NAME, state);
        SchedulerStates.load(schedulers, state);
    }

}

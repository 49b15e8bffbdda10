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
        for (int i = 0; i < schedulers.size(); i++) {
            int index = i;
            schedulers.get(i).stateDict().forEach((k, v) -> s.put(index + "." + k, v));
        }
        return s;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        if (!NAME.equals(state.get("scheduler"))) {
            throw new IllegalArgumentException(NAME + ".loadStateDict: state was saved by " + state.get("scheduler"));
        }
        for (int i = 0; i < schedulers.size(); i++) schedulers.get(i).loadStateDict(nested(state, i));
    }

    /** The entries saved under the prefix {@code "<index>."}, without it. */
    static Map<String, String> nested(Map<String, String> state, int index) {
        String prefix = index + ".";
        Map<String, String> out = new LinkedHashMap<>();
        state.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }
}

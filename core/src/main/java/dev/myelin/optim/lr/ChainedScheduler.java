package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

import java.util.List;
import java.util.Map;

/**
 * Steps several schedulers of one optimizer together, each scaling the lr the previous one left
 * (torch.optim.lr_scheduler.ChainedScheduler): e.g. a {@link ConstantLR} warmup chained with an
 * {@link ExponentialLR} decay multiplies both factors. Its {@link #lastEpoch()} counts its own
 * steps from 0. The state dict holds each scheduler's under {@code schedulers.<i>.}.
 */
public final class ChainedScheduler extends LRScheduler {
    private final List<LRScheduler> schedulers;

    public ChainedScheduler(List<LRScheduler> schedulers) {
        super("ChainedScheduler", first(schedulers));
        for (int i = 1; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("ChainedScheduler: expects all schedulers to belong to the same "
                        + "optimizer, but got schedulers at index 0 and " + i + " to be different");
            }
        }
        this.schedulers = List.copyOf(schedulers);
        lastEpoch = 0;
    }

    private static Optimizer first(List<LRScheduler> schedulers) {
        if (schedulers == null || schedulers.isEmpty()) {
            throw new IllegalArgumentException("ChainedScheduler: schedulers is empty");
        }
        return schedulers.getFirst().optimizer();
    }

    /** Steps every scheduler in order; the lrs are those the last one leaves. */
    @Override
    protected double[] getLr() {
        for (LRScheduler s : schedulers) s.step();
        return currentLrs();
    }

    public List<LRScheduler> schedulers() {
        return schedulers;
    }

    @Override
    public Map<String, String> stateDict() {
        Map<String, String> state = super.stateDict();
        for (int i = 0; i < schedulers.size(); i++) {
            int idx = i;
            schedulers.get(i).stateDict().forEach((k, v) -> state.put("schedulers." + idx + "." + k, v));
        }
        return state;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        super.loadStateDict(state);
        for (int i = 0; i < schedulers.size(); i++) {
            schedulers.get(i).loadStateDict(StateDicts.under(state, "schedulers." + i + "."));
        }
    }
}

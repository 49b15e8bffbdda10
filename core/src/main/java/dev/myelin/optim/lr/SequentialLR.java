package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another, switching at the milestone epochs
 * (torch.optim.lr_scheduler.SequentialLR), e.g. a {@link LinearLR} warmup for 5 epochs then
 * {@link CosineAnnealingLR}. As in PyTorch 1.13: construction resets every group's lr to its
 * {@code "initial_lr"}, undoes the initial step the schedulers took and re-takes it for the first
 * one only; at a milestone the next scheduler is stepped to its epoch 0 with its closed form
 * (PyTorch's {@code step(0)}), so it starts from the base lr, not from where the previous one
 * ended. The state dict holds each scheduler's under {@code schedulers.<i>.}.
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    /**
     * @param schedulers built over {@code optimizer}; not themselves sequential or chained
     * @param milestones one fewer than the schedulers, increasing: the epochs at which the next one takes over
     */
    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super("SequentialLR", optimizer);
        if (schedulers == null || schedulers.isEmpty()) {
            throw new IllegalArgumentException("SequentialLR: schedulers is empty");
        }
        for (int i = 0; i < schedulers.size(); i++) {
            LRScheduler s = schedulers.get(i);
            if (s.optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: expects all schedulers to belong to the same "
                        + "optimizer, but got "
                        + "schedulers at index " + i + " to be different than the optimizer passed in");
            }
            if (s instanceof SequentialLR || s instanceof ChainedScheduler) {
                throw new IllegalArgumentException("SequentialLR: scheduler at index " + i + " is a " + s.name()
                        + ", which cannot be stepped to an epoch");
            }
        }
        if (milestones == null || milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expects number of schedulers provided to be one more "
                    + "than the number "
                    + "of milestone points, but got number of schedulers " + schedulers.size()
                    + " and the number of milestones " + (milestones == null ? 0 : milestones.length));
        }
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] < milestones[i - 1]) {
                throw new IllegalArgumentException("SequentialLR: milestones must be increasing, got "
                        + Arrays.toString(milestones));
            }
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        lastEpoch = 0;
        for (var g : optimizer.paramGroups()) g.setLr(g.get("initial_lr"));
        for (LRScheduler s : this.schedulers) s.lastEpoch--;
        this.schedulers.getFirst().initialStep();
        syncLastLr();
    }

    /** Steps the scheduler in charge of the new epoch; at its milestone, to its epoch 0. */
    @Override
    protected double[] getLr() {
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.stepTo(0);
        else s.step();
        return s.getLastLr();
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

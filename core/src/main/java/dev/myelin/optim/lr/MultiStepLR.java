package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

import java.util.Arrays;

/** Multiplies the lr by gamma at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR); repeated milestones multiply repeatedly. */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super("MultiStepLR", optimizer);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    private int count(int epoch) {
        return (int) Arrays.stream(milestones).filter(m -> m == epoch).count();
    }

    @Override
    protected double[] chainableLr() {
        return scaled(Math.pow(gamma, count(lastEpoch)));
    }

    @Override
    protected double[] closedFormLr() {
        int passed = (int) Arrays.stream(milestones).filter(m -> m <= lastEpoch).count();
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, passed);
        return lrs;
    }
}

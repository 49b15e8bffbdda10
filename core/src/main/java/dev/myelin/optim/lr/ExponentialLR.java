package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

/** Multiplies the lr by gamma every epoch (torch.optim.lr_scheduler.ExponentialLR). */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super("ExponentialLR", optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] chainableLr() {
        return scaled(lastEpoch == 0 ? 1 : gamma);
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, lastEpoch);
        return lrs;
    }
}

package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

/** Scales the lr by factor until epoch totalIters, then restores it (torch.optim.lr_scheduler.ConstantLR; 1/3 and 5 by default). */
public final class ConstantLR extends LRScheduler {
    private final double factor;
    private final int totalIters;

    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        super("ConstantLR", optimizer);
        if (factor > 1.0 || factor < 0) throw invalid(name, "constant factor expected to be between 0 and 1, got " + factor);
        this.factor = factor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] chainableLr() {
        if (lastEpoch == 0) return scaled(factor);
        return scaled(lastEpoch != totalIters ? 1 : 1 / factor);
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= factor + (lastEpoch >= totalIters ? 1 - factor : 0);
        return lrs;
    }
}

package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

/**
 * Scales the lr linearly from startFactor to endFactor over totalIters epochs, then keeps it
 * (torch.optim.lr_scheduler.LinearLR; 1/3, 1.0 and 5 by default): the usual warmup.
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor, endFactor;
    private final int totalIters;

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super("LinearLR", optimizer);
        if (startFactor > 1.0 || startFactor <= 0) {
            throw invalid(name, "starting multiplicative factor expected to be greater than 0 and less or equal to 1, got " + startFactor);
        }
        if (endFactor > 1.0 || endFactor < 0) throw invalid(name, "ending multiplicative factor expected to be between 0 and 1, got " + endFactor);
        if (totalIters <= 0) throw invalid(name, "total_iters must be positive, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] chainableLr() {
        if (lastEpoch == 0) return scaled(startFactor);
        if (lastEpoch > totalIters) return scaled(1);
        return scaled(1 + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor)));
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        double f = startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= f;
        return lrs;
    }
}

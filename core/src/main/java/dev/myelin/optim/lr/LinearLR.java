package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

/**
 * Scales the lr by a factor that moves linearly from {@code startFactor} to {@code endFactor}
 * over {@code totalIters} epochs, then stays (torch.optim.lr_scheduler.LinearLR): the usual linear
 * warmup. PyTorch 1.13 accepts {@code startFactor = 0} and then divides by zero at epoch 1; here
 * it must lie in (0, 1], as in later PyTorch.
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor, endFactor;
    private final int totalIters;

    /** PyTorch's defaults: from 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: start_factor expected to be in (0, 1], got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: end_factor expected to be in [0, 1], got " + endFactor);
        }
        if (totalIters <= 0) {
            throw new IllegalArgumentException("LinearLR: total_iters must be positive, got " + totalIters);
        }
        super("LinearLR", optimizer);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = currentLrs();
        if (lastEpoch > totalIters) return lrs;
        double scale = lastEpoch == 0 ? startFactor
                : 1. + (endFactor - startFactor) / (totalIters * startFactor
                        + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lrs.length; i++) lrs[i] *= scale;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        double scale = startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= scale;
        return lrs;
    }
}

package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

/**
 * Multiplies the lr by {@code factor} for the first {@code totalIters} epochs, then restores it
 * (torch.optim.lr_scheduler.ConstantLR): a constant warmup. PyTorch accepts {@code factor = 0},
 * then divides by zero at {@code totalIters}; here factor must lie in (0, 1].
 */
public final class ConstantLR extends LRScheduler {
    private final double factor;
    private final int totalIters;

    /** PyTorch's defaults: factor 1/3 for 5 epochs. */
    public ConstantLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 5);
    }

    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("ConstantLR: factor expected to be in (0, 1], got " + factor);
        }
        if (totalIters < 0) {
            throw new IllegalArgumentException("ConstantLR: total_iters must be >= 0, got " + totalIters);
        }
        super("ConstantLR", optimizer);
        this.factor = factor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = currentLrs();
        double scale;
        if (lastEpoch == 0) scale = factor;
        else if (lastEpoch == totalIters) scale = 1.0 / factor;
        else return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= scale;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        double scale = factor + (lastEpoch >= totalIters ? 1 : 0) * (1 - factor);
        for (int i = 0; i < lrs.length; i++) lrs[i] *= scale;
        return lrs;
    }
}

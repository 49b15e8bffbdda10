package dev.myelin.optim.lr;

import dev.myelin.ops.Checks;
import dev.myelin.optim.Optimizer;

/**
 * Multiplies the lr by {@code gamma} every {@code stepSize} epochs (torch.optim.lr_scheduler.StepLR):
 * {@code lr = base_lr * gamma^(epoch / stepSize)} when it alone sets the lr.
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** {@code gamma} defaults to 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step_size must be positive, got " + stepSize);
        Checks.finiteNonNegative("StepLR", "gamma", gamma);
        super("StepLR", optimizer);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || Math.floorMod(lastEpoch, stepSize) != 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return lrs;
    }
}

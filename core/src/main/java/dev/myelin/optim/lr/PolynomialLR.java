package dev.myelin.optim.lr;

import dev.myelin.ops.Checks;
import dev.myelin.optim.Optimizer;

/**
 * Decays the lr as {@code base_lr * (1 - min(epoch, totalIters) / totalIters)^power}
 * (torch.optim.lr_scheduler.PolynomialLR), reaching 0 at {@code totalIters}.
 */
public final class PolynomialLR extends LRScheduler {
    private final int totalIters;
    private final double power;

    /** PyTorch's defaults: 5 epochs, power 1. */
    public PolynomialLR(Optimizer optimizer) {
        this(optimizer, 5, 1.0);
    }

    public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
        if (totalIters <= 0) {
            throw new IllegalArgumentException("PolynomialLR: total_iters must be positive, got " + totalIters);
        }
        Checks.finiteNonNegative("PolynomialLR", "power", power);
        super("PolynomialLR", optimizer);
        this.totalIters = totalIters;
        this.power = power;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch > totalIters) return lrs;
        double decay = Math.pow((1.0 - (double) lastEpoch / totalIters) / (1.0
                - (double) (lastEpoch - 1) / totalIters), power);
        for (int i = 0; i < lrs.length; i++) lrs[i] *= decay;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        double decay = Math.pow(1.0 - (double) Math.min(totalIters, lastEpoch) / totalIters, power);
        for (int i = 0; i < lrs.length; i++) lrs[i] *= decay;
        return lrs;
    }
}

package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

/** Decays the lr as (1 - epoch / totalIters)^power until totalIters, then keeps it (torch.optim.lr_scheduler.PolynomialLR; 5 and 1 by default). */
public final class PolynomialLR extends LRScheduler {
    private final int totalIters;
    private final double power;

    public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
        super("PolynomialLR", optimizer);
        if (totalIters <= 0) throw invalid(name, "total_iters must be positive, got " + totalIters);
        this.totalIters = totalIters;
        this.power = power;
        initialStep();
    }

    @Override
    protected double[] chainableLr() {
        if (lastEpoch == 0 || lastEpoch > totalIters) return scaled(1);
        double decay = Math.pow((1.0 - (double) lastEpoch / totalIters) / (1.0 - (double) (lastEpoch - 1) / totalIters), power);
        return scaled(decay);
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        double f = Math.pow(1.0 - (double) Math.min(totalIters, lastEpoch) / totalIters, power);
        for (int i = 0; i < lrs.length; i++) lrs[i] *= f;
        return lrs;
    }
}

package dev.myelin.optim.lr;

import dev.myelin.ops.Checks;
import dev.myelin.optim.Optimizer;

/**
 * Cosine annealing from the base lr down to {@code etaMin} over {@code tMax} epochs and back up
 * over the next {@code tMax}, periodically (torch.optim.lr_scheduler.CosineAnnealingLR, without
 * restarts): {@code lr = etaMin + (base_lr - etaMin) * (1 + cos(pi * epoch / tMax)) / 2} when it
 * alone sets the lr. The step is PyTorch's recursive form, which follows changes made to the lr
 * from outside.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** {@code etaMin} defaults to 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
        Checks.finiteNonNegative("CosineAnnealingLR", "eta_min", etaMin);
        super("CosineAnnealingLR", optimizer);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            // At the trough the recursive ratio would divide by 1 + cos(pi) = 0: step up from it instead.
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] = lrs[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            }
            return lrs;
        }
        double ratio = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax));
        for (int i = 0; i < lrs.length; i++) lrs[i] = ratio * (lrs[i] - etaMin) + etaMin;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return lrs;
    }
}

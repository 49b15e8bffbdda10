package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

/**
 * Cosine annealing from the base lr to etaMin over tMax epochs (torch.optim.lr_scheduler.CosineAnnealingLR,
 * recursive form: past tMax the lr rises again, as PyTorch's does).
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super("CosineAnnealingLR", optimizer);
        if (tMax <= 0) throw invalid(name, "T_max must be positive, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] chainableLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            double lr = groupLr(i), base = baseLrs[i];
            if (lastEpoch == 0) {
                lrs[i] = lr;
            } else if (stepCount == 1 && lastEpoch > 0) {
                lrs[i] = etaMin + (base - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2;
            } else if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
                lrs[i] = lr + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lrs[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax)) * (lr - etaMin) + etaMin;
            }
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        return lrs;
    }
}

package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;

/** Multiplies the lr by gamma every stepSize epochs (torch.optim.lr_scheduler.StepLR; gamma 0.1 by default). */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super("StepLR", optimizer);
        if (stepSize <= 0) throw invalid(name, "step_size must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] chainableLr() {
        return scaled(lastEpoch == 0 || lastEpoch % stepSize != 0 ? 1 : gamma);
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return lrs;
    }
}

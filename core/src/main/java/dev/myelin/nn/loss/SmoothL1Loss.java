package dev.myelin.nn.loss;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.ops.Checks;

/** Smooth L1 (torch.nn.SmoothL1Loss): quadratic below beta (default 1), linear above. */
public final class SmoothL1Loss implements Loss {
    private final Reduction reduction;
    private final double beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        this.reduction = reduction;
        this.beta = Checks.finiteNonNegative("SmoothL1Loss", "beta", beta);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.smoothL1Loss(input, target, reduction, beta);
    }
}

package dev.myelin.nn.loss;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.ops.Checks;

/** Huber loss (torch.nn.HuberLoss): quadratic below delta (default 1), linear above; SmoothL1 scaled by delta. */
public final class HuberLoss implements Loss {
    private final Reduction reduction;
    private final double delta;

    public HuberLoss() {
        this(Reduction.MEAN, 1.0);
    }

    public HuberLoss(Reduction reduction, double delta) {
        this.reduction = reduction;
        this.delta = Checks.finitePositive("HuberLoss", "delta", delta);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.huberLoss(input, target, reduction, delta);
    }
}

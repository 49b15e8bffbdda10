package dev.myelin.nn.loss;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.ops.Checks;

/**
 * Sigmoid plus binary cross-entropy in one stable step (torch.nn.BCEWithLogitsLoss), with optional weight and
 * pos_weight.
 */
public final class BCEWithLogitsLoss implements Loss {
    private final Tensor weight, posWeight;
    private final Reduction reduction;

    public BCEWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    /** weight and posWeight may be null; the caller keeps ownership of them. */
    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        if (weight != null) Checks.finiteNonNegativeElements("BCEWithLogitsLoss", "weight", weight);
        if (posWeight != null) Checks.finiteNonNegativeElements("BCEWithLogitsLoss", "pos_weight", posWeight);
        this.weight = weight;
        this.posWeight = posWeight;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }
}

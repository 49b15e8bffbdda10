package dev.myelin.nn.loss;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;

/** Binary cross-entropy of probabilities in [0, 1] (torch.nn.BCELoss). */
public final class BCELoss implements Loss {
    private final Reduction reduction;

    /** Mean over all elements. */
    public BCELoss() {
        this(Reduction.MEAN);
    }

    public BCELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropy(input, target, null, reduction);
    }
}

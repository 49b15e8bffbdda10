package dev.myelin.nn.loss;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.ops.Checks;

/** Negative log-likelihood of log-probabilities [N, C] against class indices (torch.nn.NLLLoss). */
public final class NLLLoss implements Loss {
    private final Tensor weight;
    private final long ignoreIndex;
    private final Reduction reduction;

    public NLLLoss() {
        this(null, F.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /** weight [C] or null; the caller keeps ownership of it. */
    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        if (weight != null) Checks.finiteNonNegativeElements("NLLLoss", "weight", weight);
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, weight, ignoreIndex, reduction);
    }
}

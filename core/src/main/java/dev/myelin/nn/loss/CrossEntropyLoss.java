package dev.myelin.nn.loss;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.ops.Checks;

/**
 * Cross-entropy of logits [N, C] (or [N, C, d...]) against class indices or class probabilities
 * (torch.nn.CrossEntropyLoss), with class weights, ignore_index and label smoothing.
 */
public final class CrossEntropyLoss implements Loss {
    private final Tensor weight;
    private final long ignoreIndex;
    private final Reduction reduction;
    private final double labelSmoothing;

    public CrossEntropyLoss() {
        this(null, F.DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /** Mean loss with label smoothing in [0, 1]. */
    public CrossEntropyLoss(double labelSmoothing) {
        this(null, F.DEFAULT_IGNORE_INDEX, Reduction.MEAN, labelSmoothing);
    }

    /** weight [C] or null; the caller keeps ownership of it. */
    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: label_smoothing must be between 0.0 and 1.0, got "
                    + labelSmoothing);
        }
        if (weight != null) Checks.finiteNonNegativeElements("CrossEntropyLoss", "weight", weight);
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }
}

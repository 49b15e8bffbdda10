package dev.myelin.ops;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;

/**
 * log_softmax composed from differentiable primitives: {@code (x - m) - log(sum(exp(x - m)))} with
 * m the (constant) maximum along dim, so large logits do not overflow. Used by the probability-
 * target cross-entropy; its gradient comes from autograd through the primitives.
 */
final class LossLogSoftmax {
    private LossLogSoftmax() {}

    static Tensor of(Tensor x, int dim) {
        Tensor max;
        try (var ng = GradMode.noGrad()) {
            // The shift cancels in the result, so it needs no gradient.
            max = x.max(dim, true);
        }
        Tensor shifted = x.sub(max);
        return shifted.sub(shifted.exp().sum(dim, true).log());
    }
}

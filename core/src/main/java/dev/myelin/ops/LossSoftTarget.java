package dev.myelin.ops;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.nn.functional.Reduction;

/**
 * Cross-entropy against class probabilities (target of input's shape), composed from the fused
 * log_softmax and differentiable ops as PyTorch 1.13 does: {@code -sum_c w_c t'_c log_softmax(x)_c}
 * with the smoothed target {@code t' = t * (1 - ls) + ls / C}. 'mean' divides by the number of
 * samples N * d1 * ... (not by the weights). Gradients reach both input and target.
 */
final class LossSoftTarget {
    private LossSoftTarget() {}

    /** @param weight per-class weight [C] of input's dtype, or null */
    static Tensor apply(Tensor input, Tensor target, Tensor weight, Reduction reduction, double labelSmoothing) {
        int classDim = input.dim() == 1 ? 0 : 1;
        int classes = input.size(classDim);
        Tensor logp = ActivationOps.logSoftmax(input, classDim);
        Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
        Tensor terms = logp.mul(t);
        if (weight != null) terms = terms.mul(classAxis(weight, input.dim(), classDim));
        return switch (reduction) {
            case NONE -> terms.sum(classDim, false).neg();
            case SUM -> terms.sum().neg();
            case MEAN -> terms.sum().neg().div((double) (input.numel() / classes));
            case BATCHMEAN -> throw new IllegalStateException("cross_entropy: BATCHMEAN is refused before this point");
        };
    }

    /** weight [C] viewed with size 1 in every dimension but the class one, for broadcasting. */
    private static Tensor classAxis(Tensor weight, int rank, int classDim) {
        int[] shape = new int[rank];
        java.util.Arrays.fill(shape, 1);
        shape[classDim] = weight.size(0);
        try (var ng = GradMode.noGrad()) {
            return weight.reshape(shape);
        }
    }
}

package dev.myelin.ops;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.Reduction;

/** Losses with PyTorch's semantics, on the Losses kernels. */
public final class LossOps {
    private LossOps() {}

    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        throw new UnsupportedOperationException("mse_loss: not implemented yet");
    }

    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        throw new UnsupportedOperationException("l1_loss: not implemented yet");
    }

    public static Tensor smoothL1(Tensor input, Tensor target, Reduction reduction, double beta) {
        throw new UnsupportedOperationException("smooth_l1_loss: not implemented yet");
    }

    public static Tensor huber(Tensor input, Tensor target, Reduction reduction, double delta) {
        throw new UnsupportedOperationException("huber_loss: not implemented yet");
    }

    /** target: class indices (int32/int64, shape [N] or [N, d...]) or probabilities (input's shape and dtype). */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        throw new UnsupportedOperationException("cross_entropy: not implemented yet");
    }

    public static Tensor nll(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        throw new UnsupportedOperationException("nll_loss: not implemented yet");
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        throw new UnsupportedOperationException("binary_cross_entropy: not implemented yet");
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        throw new UnsupportedOperationException("binary_cross_entropy_with_logits: not implemented yet");
    }

    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        throw new UnsupportedOperationException("kl_div: not implemented yet");
    }
}

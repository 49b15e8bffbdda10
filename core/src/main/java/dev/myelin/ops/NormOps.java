package dev.myelin.ops;

import dev.myelin.Tensor;

/** Batch norm and layer norm on the Normalization kernels. */
public final class NormOps {
    private NormOps() {}

    /**
     * F.batch_norm. x is [N, C] or [N, C, *]. In training, batch statistics normalize and the
     * running tensors (if given) are updated in place with {@code momentum}; in eval the running
     * statistics normalize.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        throw new UnsupportedOperationException("batch_norm: not implemented yet");
    }

    /** F.layer_norm over the trailing {@code normalizedShape} dims. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        throw new UnsupportedOperationException("layer_norm: not implemented yet");
    }
}

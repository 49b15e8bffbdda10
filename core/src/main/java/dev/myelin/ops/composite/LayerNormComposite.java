package dev.myelin.ops.composite;

import dev.myelin.Tensor;

/**
 * Layer norm composed from reductions and elementwise ops; autograd gives the gradients. What
 * {@link dev.myelin.ops.NormOps#layerNorm} runs on a backend that does not list
 * {@link dev.myelin.backend.Fused#LAYER_NORM}, and the reference its fused kernels are tested against.
 */
public final class LayerNormComposite {
    private LayerNormComposite() {}

    /**
     * {@code (x - mean) / sqrt(var + eps) * weight + bias}, mean and biased variance over the trailing
     * {@code normalizedShape.length} dims; weight and bias have shape normalizedShape or are null. The
     * arguments are those {@code NormOps.layerNorm} has checked.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int lead = x.dim() - normalizedShape.length;
        int[] dims = new int[normalizedShape.length];
        for (int i = 0; i < dims.length; i++) dims[i] = lead + i;
        Tensor mean = x.mean(dims, true);
        Tensor invStd = x.var(dims, 0, true).add(eps).rsqrt();
        Tensor y = x.sub(mean).mul(invStd);
        if (weight != null) y = y.mul(weight);
        return bias == null ? y : y.add(bias);
    }
}

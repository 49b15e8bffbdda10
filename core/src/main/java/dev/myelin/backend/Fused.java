package dev.myelin.backend;

/**
 * The fused ops: each has a composite in the core, built from the primitive families (GEMM,
 * elementwise, activations, reductions, indexing, the Philox mask, conv and pooling windows), with
 * gradients from autograd. A backend that lists an op in {@link Backend#fused()} runs its own
 * kernels for it instead, forward and backward (the family methods named on each constant); a
 * backend lists only the ops whose kernels a committed benchmark shows faster than the composite.
 * New ops land as composites first.
 */
public enum Fused {
    /** {@link Activations#softmax} and {@link Activations#softmaxBackward}, log-softmax included. */
    SOFTMAX,
    /** {@link Activations#biasForward} and {@link Activations#biasBackward}. */
    BIAS_ACTIVATION,
    /**
     * {@link Activations#forwardWithDerivative}, for the kinds that {@link Activations.Kind#keepsDerivative}:
     * the backward multiplies by f'(x) instead of recomputing it.
     */
    ACTIVATION_DERIVATIVE,
    /** {@link Normalization}'s batch-norm methods. */
    BATCH_NORM,
    /** {@link Normalization#layerNorm} and {@link Normalization#layerNormBackward}. */
    LAYER_NORM,
    /** {@link Losses#pointwise} and {@link Losses#pointwiseBackward}. */
    POINTWISE_LOSS,
    /** {@link Losses#crossEntropy} and {@link Losses#crossEntropyBackward} (class-index targets). */
    CROSS_ENTROPY,
    /** {@link Losses#nll} and {@link Losses#nllBackward}. */
    NLL,
    /** Every method of {@link Optim}: one in-place pass per parameter. */
    OPTIMIZER
}

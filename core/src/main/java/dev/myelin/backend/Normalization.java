package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * Batch norm and layer norm, fused ops: the core calls the batch-norm methods only on a backend
 * that lists {@link Fused#BATCH_NORM} in {@link Backend#fused()}, and the layer-norm ones only where
 * it lists {@link Fused#LAYER_NORM}; elsewhere it runs its composites. A backend that fuses neither
 * need not implement any of them (each default throws).
 *
 * <p>Batch norm sees x as [N, C, S] (S = product of spatial dims, 1 for BatchNorm1d on [N, C]);
 * per-channel tensors are [C]. Layer norm sees x as [M, D] with D the normalized size; per-row
 * statistics are [M]. Optional tensors may be null.
 */
public interface Normalization {
    /**
     * Training forward: per-channel batch mean and biased variance normalize x into y;
     * {@code saveMean} and {@code saveInvStd = 1/sqrt(var + eps)} are written for the backward.
     * When the running tensors are given, they are updated in place:
     * {@code running = (1 - momentum) * running + momentum * stat}, with the unbiased variance
     * (times n / (n - 1), n = N * S) for running_var. Called only if the backend lists
     * {@link Fused#BATCH_NORM}.
     */
    default void batchNormTrain(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                double momentum, double eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        throw notFused("batchNormTrain", Fused.BATCH_NORM);
    }

    /**
     * Inference forward: {@code y = (x - runningMean) / sqrt(runningVar + eps) * weight + bias}. Called
     * only if the backend lists {@link Fused#BATCH_NORM}.
     */
    default void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                    double eps, Tensor y) {
        throw notFused("batchNormInference", Fused.BATCH_NORM);
    }

    /**
     * Backward. With {@code batchStats} the mean and invStd are the batch's (training mode) and the
     * gradient flows through them; otherwise they are constants (eval mode: running statistics).
     * gradWeight and gradBias may be null when not needed. Called only if the backend lists
     * {@link Fused#BATCH_NORM}.
     */
    default void batchNormBackward(boolean batchStats, Tensor x, Tensor gradY, Tensor weight, Tensor mean,
                                   Tensor invStd, Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        throw notFused("batchNormBackward", Fused.BATCH_NORM);
    }

    /**
     * Layer norm forward over the last D elements of each of M rows; weight and bias are [D] or null.
     * Called only if the backend lists {@link Fused#LAYER_NORM}.
     */
    default void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor saveMean,
                           Tensor saveInvStd) {
        throw notFused("layerNorm", Fused.LAYER_NORM);
    }

    /** Backward of {@link #layerNorm}. Called only if the backend lists {@link Fused#LAYER_NORM}. */
    default void layerNormBackward(Tensor x, Tensor gradY, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                                   Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        throw notFused("layerNormBackward", Fused.LAYER_NORM);
    }

    private UnsupportedOperationException notFused(String method, Fused op) {
        return new UnsupportedOperationException(method + ": " + getClass().getName() + " has no kernel for "
                + "Fused." + op + "; the core runs the composite unless the backend lists " + op + " in fused()");
    }
}

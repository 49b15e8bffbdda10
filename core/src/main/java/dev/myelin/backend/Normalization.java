package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * Batch norm and layer norm. Batch norm sees x as [N, C, S] (S = product of spatial dims, 1 for
 * BatchNorm1d on [N, C]); per-channel tensors are [C]. Layer norm sees x as [M, D] with D the
 * normalized size; per-row statistics are [M]. Optional tensors may be null.
 */
public interface Normalization {
    /**
     * Training forward: per-channel batch mean and biased variance normalize x into y;
     * {@code saveMean} and {@code saveInvStd = 1/sqrt(var + eps)} are written for the backward.
     * When the running tensors are given, they are updated in place:
     * {@code running = (1 - momentum) * running + momentum * stat}, with the unbiased variance
     * (times n / (n - 1), n = N * S) for running_var.
     */
    void batchNormTrain(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                        double momentum, double eps, Tensor y, Tensor saveMean, Tensor saveInvStd);

    /** Inference forward: {@code y = (x - runningMean) / sqrt(runningVar + eps) * weight + bias}. */
    void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                            double eps, Tensor y);

    /**
     * Backward. With {@code batchStats} the mean and invStd are the batch's (training mode) and the
     * gradient flows through them; otherwise they are constants (eval mode: running statistics).
     * gradWeight and gradBias may be null when not needed.
     */
    void batchNormBackward(boolean batchStats, Tensor x, Tensor gradY, Tensor weight, Tensor mean,
                           Tensor invStd, Tensor gradX, Tensor gradWeight, Tensor gradBias);

    /** Layer norm forward over the last D elements of each of M rows; weight and bias are [D] or null. */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor saveMean,
                   Tensor saveInvStd);

    void layerNormBackward(Tensor x, Tensor gradY, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                           Tensor gradX, Tensor gradWeight, Tensor gradBias);
}

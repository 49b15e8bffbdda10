package dev.myelin.cuda;

import dev.myelin.Tensor;

/**
 * The layer-norm half of the Normalization family, which runs on Myelin's own kernels (package
 * {@code dev.myelin.cuda.kernels}) while batch norm runs on cuDNN; {@link CudaNormalization}
 * delegates its {@code layerNorm} and {@code layerNormBackward} here with the same arguments.
 */
public interface LayerNormKernels {
    /** As {@link dev.myelin.backend.Normalization#layerNorm}. */
    void forward(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor saveMean, Tensor saveInvStd);

    /** As {@link dev.myelin.backend.Normalization#layerNormBackward}. */
    void backward(Tensor x, Tensor gradY, Tensor weight, Tensor saveMean, Tensor saveInvStd, Tensor gradX,
                  Tensor gradWeight, Tensor gradBias);
}

package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Normalization;

/** CPU kernels of the Normalization family. */
final class CpuNormalization implements Normalization {
    @Override
    public void batchNormTrain(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, double momentum, double eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        throw new UnsupportedOperationException("cpu: batchNormTrain not implemented yet");
    }

    @Override
    public void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, double eps, Tensor y) {
        throw new UnsupportedOperationException("cpu: batchNormInference not implemented yet");
    }

    @Override
    public void batchNormBackward(boolean batchStats, Tensor x, Tensor gradY, Tensor weight, Tensor mean, Tensor invStd, Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        throw new UnsupportedOperationException("cpu: batchNormBackward not implemented yet");
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        throw new UnsupportedOperationException("cpu: layerNorm not implemented yet");
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor gradY, Tensor weight, Tensor saveMean, Tensor saveInvStd, Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        throw new UnsupportedOperationException("cpu: layerNormBackward not implemented yet");
    }
}

package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Losses;

/** CPU kernels of the Losses family. */
final class CpuLosses implements Losses {
    @Override
    public void pointwise(Losses.Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight, Tensor out) {
        throw new UnsupportedOperationException("cpu: pointwise not implemented yet");
    }

    @Override
    public void pointwiseBackward(Losses.Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight, Tensor gradOut, Tensor gradInput) {
        throw new UnsupportedOperationException("cpu: pointwiseBackward not implemented yet");
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor target, Tensor weight, long ignoreIndex, double labelSmoothing, Tensor loss, Tensor sampleWeight) {
        throw new UnsupportedOperationException("cpu: crossEntropy not implemented yet");
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor target, Tensor weight, long ignoreIndex, double labelSmoothing, Tensor gradLoss, Tensor gradLogits) {
        throw new UnsupportedOperationException("cpu: crossEntropyBackward not implemented yet");
    }

    @Override
    public void nll(Tensor logProbs, Tensor target, Tensor weight, long ignoreIndex, Tensor loss, Tensor sampleWeight) {
        throw new UnsupportedOperationException("cpu: nll not implemented yet");
    }

    @Override
    public void nllBackward(Tensor target, Tensor weight, long ignoreIndex, Tensor gradLoss, Tensor gradLogProbs) {
        throw new UnsupportedOperationException("cpu: nllBackward not implemented yet");
    }
}

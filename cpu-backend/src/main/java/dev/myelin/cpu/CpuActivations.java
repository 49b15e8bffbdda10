package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Activations;

/** CPU kernels of the Activations family. */
final class CpuActivations implements Activations {
    @Override
    public void forward(Activations.Kind kind, double param, Tensor x, Tensor y) {
        throw new UnsupportedOperationException("cpu: forward not implemented yet");
    }

    @Override
    public void backward(Activations.Kind kind, double param, Tensor x, Tensor y, Tensor gradY, Tensor gradX) {
        throw new UnsupportedOperationException("cpu: backward not implemented yet");
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor y) {
        throw new UnsupportedOperationException("cpu: softmax not implemented yet");
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gradY, int dim, boolean log, Tensor gradX) {
        throw new UnsupportedOperationException("cpu: softmaxBackward not implemented yet");
    }
}

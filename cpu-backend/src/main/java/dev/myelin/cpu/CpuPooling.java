package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Pooling;

/** CPU kernels of the Pooling family. */
final class CpuPooling implements Pooling {
    @Override
    public void maxPool2d(Tensor x, Pooling.Params p, Tensor y, Tensor indices) {
        throw new UnsupportedOperationException("cpu: maxPool2d not implemented yet");
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Tensor indices, Pooling.Params p, Tensor gradX) {
        throw new UnsupportedOperationException("cpu: maxPool2dBackward not implemented yet");
    }

    @Override
    public void avgPool2d(Tensor x, Pooling.Params p, Tensor y) {
        throw new UnsupportedOperationException("cpu: avgPool2d not implemented yet");
    }

    @Override
    public void avgPool2dBackward(Tensor gradY, Pooling.Params p, Tensor gradX) {
        throw new UnsupportedOperationException("cpu: avgPool2dBackward not implemented yet");
    }
}

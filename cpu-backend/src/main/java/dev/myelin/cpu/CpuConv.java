package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Conv;

/** CPU kernels of the Conv family. */
final class CpuConv implements Conv {
    @Override
    public void conv2d(Tensor x, Tensor weight, Tensor bias, Conv.Params p, Tensor y) {
        throw new UnsupportedOperationException("cpu: conv2d not implemented yet");
    }

    @Override
    public void conv2dBackwardData(Tensor gradY, Tensor weight, Conv.Params p, Tensor gradX) {
        throw new UnsupportedOperationException("cpu: conv2dBackwardData not implemented yet");
    }

    @Override
    public void conv2dBackwardFilter(Tensor gradY, Tensor x, Conv.Params p, Tensor gradWeight) {
        throw new UnsupportedOperationException("cpu: conv2dBackwardFilter not implemented yet");
    }
}

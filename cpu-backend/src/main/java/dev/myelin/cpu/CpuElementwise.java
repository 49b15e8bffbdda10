package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Elementwise;

/** CPU kernels of the Elementwise family. */
final class CpuElementwise implements Elementwise {
    @Override
    public void fill(Tensor out, double value) {
        throw new UnsupportedOperationException("cpu: fill not implemented yet");
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        throw new UnsupportedOperationException("cpu: copy not implemented yet");
    }

    @Override
    public void unary(Elementwise.Unary op, Tensor x, Tensor out) {
        throw new UnsupportedOperationException("cpu: unary not implemented yet");
    }

    @Override
    public void binary(Elementwise.Binary op, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("cpu: binary not implemented yet");
    }

    @Override
    public void binaryScalar(Elementwise.Binary op, Tensor a, double s, boolean scalarFirst, Tensor out) {
        throw new UnsupportedOperationException("cpu: binaryScalar not implemented yet");
    }

    @Override
    public void clamp(Tensor x, double lo, double hi, Tensor out) {
        throw new UnsupportedOperationException("cpu: clamp not implemented yet");
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        throw new UnsupportedOperationException("cpu: where not implemented yet");
    }
}

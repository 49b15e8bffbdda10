package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Blas;

/** CPU kernels of the Blas family. */
final class CpuBlas implements Blas {
    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha, Tensor a, long strideA, Tensor b, long strideB, double beta, Tensor c, long strideC) {
        throw new UnsupportedOperationException("cpu: gemm not implemented yet");
    }
}

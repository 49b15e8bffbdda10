package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Blas;
import dev.myelin.cuda.runtime.Cublas;
import dev.myelin.cuda.runtime.CudaStorage;
import dev.myelin.cuda.runtime.DeviceContext;

/**
 * CUDA kernels of the Blas family, on cuBLAS. A row-major product C = op(A) op(B) is the
 * column-major product C^T = op(B)^T op(A)^T, so cuBLAS is called with the operands swapped,
 * m and n swapped, and each operand's row-major leading dimension. A whole batch is one
 * strided-batched call, except when C's batch stride is 0: then the entries write one matrix
 * and must run in order, as one call each (the stream keeps them in order).
 */
final class CudaBlas implements Blas {
    private final Cublas cublas;
    private final DeviceContext device;

    CudaBlas(Cublas cublas, DeviceContext device) {
        this.cublas = cublas;
        this.device = device;
    }

    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha, Tensor a,
                     long strideA, Tensor b, long strideB, double beta, Tensor c, long strideC) {
        DType dtype = Blas.requireOneFloatingType(a, b, c);
        long pa = CudaStorage.addressOf(a), pb = CudaStorage.addressOf(b), pc = CudaStorage.addressOf(c);
        if (batch <= 0 || m == 0 || n == 0) return;
        device.makeCurrent();
        rowMajor(cublas, dtype == DType.FLOAT64, transA, transB, batch, m, n, k, alpha, pa, strideA, pb, strideB, beta,
                pc, strideC);
    }

    /** {@link Blas#gemm}'s row-major contract on raw device addresses (strides in elements). */
    static void rowMajor(Cublas cublas, boolean f64, boolean transA, boolean transB, int batch, int m, int n, int k,
                         double alpha, long pa, long strideA, long pb, long strideB, double beta, long pc,
                         long strideC) {
        int size = f64 ? 8 : 4;
        // Row-major leading dimensions: A is m x k (k x m when transposed), B is k x n (n x k).
        int lda = Math.max(1, transA ? m : k), ldb = Math.max(1, transB ? k : n);
        int opA = transA ? Cublas.OP_T : Cublas.OP_N, opB = transB ? Cublas.OP_T : Cublas.OP_N;
        if (batch == 1) {
            cublas.gemm(f64, opB, opA, n, m, k, alpha, pb, ldb, pa, lda, beta, pc, n);
        } else if (strideC == 0) {
            for (int e = 0; e < batch; e++) {
                cublas.gemm(f64, opB, opA, n, m, k, alpha, pb + e * strideB * size, ldb, pa + e * strideA * size, lda,
                        beta, pc, n);
            }
        } else {
            cublas.gemmStridedBatched(f64, opB, opA, n, m, k, alpha, pb, ldb, strideB, pa, lda, strideA, beta, pc, n,
                    strideC, batch);
        }
    }
}

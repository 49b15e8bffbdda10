package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;

/** Matrix products. */
public interface Blas {
    /**
     * Strided-batched GEMM, row-major: for every b in [0, batch),
     * {@code C[b] = alpha * op(A[b]) * op(B[b]) + beta * C[b]} where op(A[b]) is m x k and op(B[b]) is k x n.
     * A[b] starts at {@code a.offset() + b * strideA} and is stored m x k, or k x m when {@code transA}
     * (likewise B: k x n, or n x k when {@code transB}); C[b] is m x n. A batch stride of 0 reuses
     * one matrix for every batch entry. With beta = 0, C's old contents are ignored (NaN included).
     */
    void gemm(boolean transA, boolean transB, int batch, int m, int n, int k,
              double alpha, Tensor a, long strideA, Tensor b, long strideB,
              double beta, Tensor c, long strideC);

    /** The one floating dtype of a gemm's operands, or an exception naming all three. */
    static DType requireOneFloatingType(Tensor a, Tensor b, Tensor c) {
        DType dtype = c.dtype();
        if (a.dtype() != dtype || b.dtype() != dtype || !dtype.isFloating()) {
            throw new IllegalArgumentException("gemm: dtypes must be the same floating type, got " + a.dtype() + ", "
                    + b.dtype() + " and " + dtype);
        }
        return dtype;
    }
}

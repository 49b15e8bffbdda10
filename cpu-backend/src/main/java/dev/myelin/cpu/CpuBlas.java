package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Blas;

/** CPU kernels of the Blas family. Reference (unblocked) version. */
final class CpuBlas implements Blas {
    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha, Tensor a,
                     long strideA, Tensor b, long strideB, double beta, Tensor c, long strideC) {
        Object as = Strided.array(a), bs = Strided.array(b), cs = Strided.array(c);
        for (int p = 0; p < batch; p++) {
            long ao = a.offset() + p * strideA, bo = b.offset() + p * strideB, co = c.offset() + p * strideC;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        double av = Strided.get(as, (int) (ao + (transA ? (long) q * m + i : (long) i * k + q)));
                        double bv = Strided.get(bs, (int) (bo + (transB ? (long) j * k + q : (long) q * n + j)));
                        s += av * bv;
                    }
                    int ci = (int) (co + (long) i * n + j);
                    double old = beta == 0 ? 0 : beta * Strided.get(cs, ci);
                    Strided.set(cs, ci, alpha * s + old);
                }
            }
        }
    }
}

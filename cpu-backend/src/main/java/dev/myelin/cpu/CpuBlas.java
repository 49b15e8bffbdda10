package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Blas;

/**
 * CPU kernels of the Blas family: a packed, cache- and register-blocked float32 GEMM
 * ({@link GemmF32}) and plain float64 loops ({@link GemmF64}, the reference path). A batch of small
 * products runs one product per thread; a large float32 product is split across the threads itself.
 */
final class CpuBlas implements Blas {
    @Override
    public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha, Tensor a,
                     long strideA, Tensor b, long strideB, double beta, Tensor c, long strideC) {
        DType dtype = Blas.requireOneFloatingType(a, b, c);
        if (batch <= 0 || m == 0 || n == 0) return;
        int ao = CpuStorage.off(a), bo = CpuStorage.off(b), co = CpuStorage.off(c);
        boolean perEntry = entriesInParallel(batch, (long) m * n * Math.max(k, 1), strideC);
        Parallel.Range entries = (s, e) -> {
            for (int p = s; p < e; p++) {
                int pa = Math.toIntExact(ao + p * strideA), pb = Math.toIntExact(bo + p * strideB);
                int pc = Math.toIntExact(co + p * strideC);
                if (dtype == DType.FLOAT32) {
                    GemmF32.gemm(transA, transB, m, n, k, (float) alpha, CpuStorage.f32(a), pa, CpuStorage.f32(b), pb,
                            (float) beta, CpuStorage.f32(c), pc, !perEntry);
                } else {
                    GemmF64.gemm(transA, transB, m, n, k, alpha, CpuStorage.f64(a), pa, CpuStorage.f64(b), pb,
                            beta, CpuStorage.f64(c), pc);
                }
            }
        };
        if (perEntry) {
            Parallel.forRange(batch, Parallel.GRAIN, entries);
        } else {
            entries.run(0, batch);
        }
    }

    /**
     * Whole batch entries go to the threads when there is enough work in all and either many
     * entries or entries too small to split. A C batch stride of 0 makes every entry write one
     * matrix, so those run in order.
     */
    private static boolean entriesInParallel(int batch, long workPerEntry, long strideC) {
        int threads = Parallel.threads();
        return batch > 1 && strideC != 0 && threads > 1 && workPerEntry * batch >= GemmSplit.MIN_WORK
                && (batch >= 4 * threads || workPerEntry < GemmSplit.MIN_WORK);
    }
}

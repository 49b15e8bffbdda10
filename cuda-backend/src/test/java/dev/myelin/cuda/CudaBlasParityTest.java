package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@GpuTest
class CudaBlasParityTest {
    /** One gemm call on both backends, C starting from the same values. */
    private static Parity.Pair gemm(DType dt, boolean ta, boolean tb, int batch, int m, int n, int k, double alpha,
                                    long sa, long sb, double beta, long sc, long seed) {
        long aLen = sa * Math.max(batch - 1, 0) + (long) m * k, bLen = sb * Math.max(batch - 1, 0) + (long) k * n;
        long cLen = sc * Math.max(batch - 1, 0) + (long) m * n;
        Parity.Pair a = Parity.random(seed, dt, (int) aLen), b = Parity.random(seed + 1, dt, (int) bLen);
        Parity.Pair c = Parity.random(seed + 2, dt, (int) cLen);
        Parity.cpu().blas().gemm(ta, tb, batch, m, n, k, alpha, a.cpu(), sa, b.cpu(), sb, beta, c.cpu(), sc);
        Parity.cuda().blas().gemm(ta, tb, batch, m, n, k, alpha, a.cuda(), sa, b.cuda(), sb, beta, c.cuda(), sc);
        return c;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void everyTransposeCombinationWithOddSizes(DType dt) {
        int m = 37, n = 23, k = 19;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Parity.assertClose("gemm " + dt + " transA=" + ta + " transB=" + tb,
                        gemm(dt, ta, tb, 1, m, n, k, 1.0, 0, 0, 0.0, 0, 11));
            }
        }
    }

    @Test
    void alphaAndBetaScaleAsInBlas() {
        Parity.assertClose("gemm alpha=-0.5 beta=1.5", gemm(DType.FLOAT32, false, true, 1, 9, 17, 33, -0.5, 0, 0, 1.5, 0, 5));
    }

    @Test
    void aLargerProduct() {
        Parity.assertClose("gemm 257x129x300", gemm(DType.FLOAT32, false, false, 1, 257, 129, 300, 1.0, 0, 0, 0.0, 0, 7));
    }

    @Test
    void betaZeroIgnoresNanInC() {
        Parity.Pair a = Parity.random(1, DType.FLOAT32, 3 * 4), b = Parity.random(2, DType.FLOAT32, 4 * 5);
        Parity.Pair c = Parity.poisoned(DType.FLOAT32, 3 * 5);
        Parity.cpu().blas().gemm(false, false, 1, 3, 5, 4, 1, a.cpu(), 0, b.cpu(), 0, 0, c.cpu(), 0);
        Parity.cuda().blas().gemm(false, false, 1, 3, 5, 4, 1, a.cuda(), 0, b.cuda(), 0, 0, c.cuda(), 0);
        Parity.assertClose("gemm beta=0 over NaN", c);
    }

    @Test
    void emptyInnerDimensionGivesBetaTimesC() {
        Parity.assertClose("gemm k=0", gemm(DType.FLOAT32, false, false, 1, 4, 6, 0, 1.0, 0, 0, 0.5, 0, 3));
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void stridedBatches(DType dt) {
        int m = 7, n = 13, k = 5;
        Parity.assertClose("batched gemm", gemm(dt, false, false, 6, m, n, k, 1.0, m * k, k * n, 0.0, m * n, 21));
        Parity.assertClose("batched gemm, shared B (stride 0), transposed A",
                gemm(dt, true, false, 5, m, n, k, 1.0, m * k, 0, 0.0, m * n, 22));
        Parity.assertClose("batched gemm with gaps between entries",
                gemm(dt, false, true, 3, m, n, k, 2.0, m * k + 3, k * n + 1, 0.5, m * n + 2, 23));
    }

    @Test
    void aZeroOutputStrideAccumulatesTheBatchInOrder() {
        Parity.assertClose("batched gemm into one C (beta=1)",
                gemm(DType.FLOAT32, false, false, 4, 6, 5, 7, 1.0, 42, 35, 1.0, 0, 31));
    }

    @Test
    void matmulThroughTheTensorApi() {
        Parity.Pair a = Parity.random(41, DType.FLOAT32, 33, 65), b = Parity.random(42, DType.FLOAT32, 65, 17);
        Tensor cpu = a.cpu().matmul(b.cpu()), cuda = a.cuda().matmul(b.cuda());
        Parity.assertClose("matmul", cpu, cuda);
    }

    @Test
    void aCpuOperandIsAClearError() {
        Parity.Pair a = Parity.random(1, DType.FLOAT32, 4), c = Parity.empty(DType.FLOAT32, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> Parity.cuda().blas()
                .gemm(false, false, 1, 2, 2, 2, 1, a.cpu(), 0, a.cuda(), 0, 0, c.cuda(), 0));
        assertTrue(e.getMessage().contains("cuda"), e.getMessage());
    }
}

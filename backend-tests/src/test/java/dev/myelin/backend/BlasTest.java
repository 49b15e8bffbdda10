package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.nn.functional.F;
import dev.myelin.testing.BackendInvocation;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import dev.myelin.testing.Parity;
import dev.myelin.testing.Parity.Pair;
import dev.myelin.testing.ParityWithCpu;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * GEMM on each backend against a naive double reference (cache blocks and thread splits on the CPU),
 * matmul/linear through the Tensor API; the backend's gemm (cuBLAS on CUDA) against the CPU's.
 */
class BlasTest {
    /** One per test instance (one per backend and test), so that every backend sees the same data. */
    private final Random rng = new Random(42);

    private double[] random(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble() * 2 - 1;
        return v;
    }

    private static Tensor tensor(DType dtype, double[] v) {
        Tensor t = Tensor.of(v, v.length);
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }

    /**
     * Runs the kernel on random operands and compares every C element with a double-precision
     * triple loop, within tol relative to the sum of the magnitudes that make it up.
     */
    private void checkGemm(DType dtype, boolean ta, boolean tb, int batch, int m, int n, int k, double alpha,
                           double beta, boolean shareA, boolean shareB, double tol) {
        long sa = shareA ? 0 : (long) m * k, sb = shareB ? 0 : (long) k * n, sc = (long) m * n;
        int lead = 3; // a non-zero tensor offset checks that kernels honour it
        double[] a = random(lead + (int) (shareA ? m * k : batch * sa));
        double[] b = random(lead + (int) (shareB ? k * n : batch * sb));
        double[] c = random(lead + batch * m * n);
        Tensor at = tensor(dtype, a).slice(0, lead, a.length);
        Tensor bt = tensor(dtype, b).slice(0, lead, b.length);
        Tensor ct = tensor(dtype, c).slice(0, lead, c.length);
        // Re-read the rounded inputs so the reference multiplies exactly what the kernel saw.
        a = tensor(DType.FLOAT64, a).to(dtype).toDoubleArray();
        b = tensor(DType.FLOAT64, b).to(dtype).toDoubleArray();
        c = tensor(DType.FLOAT64, c).to(dtype).toDoubleArray();
        at.backend().blas().gemm(ta, tb, batch, m, n, k, alpha, at, sa, bt, sb, beta, ct, sc);
        double[] got = ct.toDoubleArray();
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0, mag = 0;
                    for (int q = 0; q < k; q++) {
                        double av = a[lead + (int) (p * sa) + (ta ? q * m + i : i * k + q)];
                        double bv = b[lead + (int) (p * sb) + (tb ? j * k + q : q * n + j)];
                        s += av * bv;
                        mag += Math.abs(av * bv);
                    }
                    int ci = p * m * n + i * n + j;
                    double old = c[lead + ci];
                    double want = alpha * s + beta * old;
                    double scale = Math.abs(alpha) * mag + Math.abs(beta * old) + 1e-3;
                    if (Math.abs(want - got[ci]) > tol * scale) {
                        fail(dtype + " gemm " + (ta ? "T" : "N") + (tb ? "T" : "N") + " batch=" + batch + " m=" + m
                                + " n=" + n + " k=" + k + " at [" + p + "," + i + "," + j + "]: " + got[ci]
                                + " vs " + want);
                    }
                }
            }
        }
    }

    @OnEachBackend
    void gemmMatchesReferenceOverOddShapesAndTransposes(BackendUnderTest on) {
        int[] sizes = {1, 2, 7, 17, 33};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
            for (int m : sizes) {
                for (int n : sizes) {
                    for (int k : sizes) {
                        boolean ta = rng.nextBoolean(), tb = rng.nextBoolean();
                        checkGemm(dtype, ta, tb, 1, m, n, k, 1, 0, false, false, tol);
                    }
                }
            }
        }
    }

    @OnEachBackend
    void gemmCrossesCacheBlocksAndSplitsAcrossThreads(BackendUnderTest on) {
        // k > KC (256), m > MC (144), n spanning several 2-vector panels; large enough to run in parallel.
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                checkGemm(DType.FLOAT32, ta, tb, 1, 301, 130, 270, 0.5, 0.25, false, false, 1e-5);
            }
        }
        checkGemm(DType.FLOAT32, false, true, 1, 40, 1000, 130, 1, 0, false, false, 1e-5);
        // Row strips over three k-blocks: the CPU's threads pack B into the two halves of a shared buffer in turn.
        checkGemm(DType.FLOAT32, false, false, 1, 260, 70, 600, 1, 0.5, false, false, 1e-5);
        checkGemm(DType.FLOAT64, true, false, 1, 150, 200, 260, -1, 1, false, false, 1e-13);
        checkGemm(DType.FLOAT64, false, false, 1, 20, 180, 300, 1, 0, false, false, 1e-13);
        // n beyond one NC block (4096 columns).
        checkGemm(DType.FLOAT32, false, false, 1, 7, 4200, 3, 1, 0, false, false, 1e-5);
    }

    @OnEachBackend
    void gemmOfNarrowShapesAsInTheMlpsLastLayer(BackendUnderTest on) {
        // n under a register panel, k or m small (mostly padding in the packed tiles), with alpha and
        // beta, and wider than 1024 columns.
        checkGemm(DType.FLOAT32, false, true, 1, 256, 10, 300, 1, 0, false, false, 1e-5);
        checkGemm(DType.FLOAT32, false, false, 1, 60, 1100, 10, 0.5, 0.25, false, false, 1e-5);
        checkGemm(DType.FLOAT32, true, false, 1, 10, 1100, 70, -1, 1, false, false, 1e-5);
        checkGemm(DType.FLOAT32, false, false, 1, 11, 40, 50, 1, 0, false, false, 1e-5);
        checkGemm(DType.FLOAT32, true, true, 1, 30, 9, 20, 1, 0.5, false, false, 1e-5);
    }

    @OnEachBackend
    void gemmBatchesWithBroadcastOperandsAlphaAndBeta(BackendUnderTest on) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
            checkGemm(dtype, false, false, 5, 9, 11, 13, 2.0, 0.5, false, true, tol);
            checkGemm(dtype, true, true, 4, 33, 7, 19, -0.75, 1.0, true, false, tol);
            checkGemm(dtype, false, true, 3, 1, 40, 25, 1.5, -2.0, false, false, tol);
            checkGemm(dtype, true, false, 6, 30, 1, 25, 1.0, 0.0, true, false, tol);
            checkGemm(dtype, true, true, 3, 1, 1, 70, 1.0, 3.0, false, false, tol);
            // Enough entries and work (9.4M multiply-adds) to run whole entries on the threads.
            checkGemm(dtype, false, true, 16, 96, 96, 64, 1.0, 0.0, false, true, tol);
        }
    }

    @OnEachBackend
    void betaZeroIgnoresNanAndKZeroScalesC(BackendUnderTest on) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).to(dtype);
            Tensor c = Tensor.full(Double.NaN, dtype, 2, 2);
            a.backend().blas().gemm(false, false, 1, 2, 2, 2, 1, a, 0, a, 0, 0, c, 0);
            assertArrayEquals(new double[] {7, 10, 15, 22}, c.toDoubleArray(), 1e-6);

            Tensor empty = Tensor.empty(a.backend(), dtype, 0);
            Tensor c2 = Tensor.of(new double[] {1, -2, 3, 4, 5, 6}, 2, 3).to(dtype);
            a.backend().blas().gemm(false, false, 1, 2, 3, 0, 1, empty, 0, empty, 0, 2, c2, 0);
            assertArrayEquals(new double[] {2, -4, 6, 8, 10, 12}, c2.toDoubleArray());
            Tensor c3 = Tensor.full(Double.NaN, dtype, 2, 3);
            a.backend().blas().gemm(false, false, 1, 2, 3, 0, 1, empty, 0, empty, 0, 0, c3, 0);
            assertArrayEquals(new double[6], c3.toDoubleArray());
        }
    }

    private static double[] naiveMatmul(double[] a, double[] b, int batch, int m, int k, int n) {
        double[] out = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) s += a[p * m * k + i * k + q] * b[p * k * n + q * n + j];
                    out[p * m * n + i * n + j] = s;
                }
            }
        }
        return out;
    }

    @OnEachBackend
    void matmulThroughTensorApiBroadcastsBatchesAndPromotesVectors(BackendUnderTest on) {
        double[] a = random(2 * 3 * 4), b = random(5 * 4 * 6);
        Tensor y = Tensor.of(a, 2, 1, 3, 4).to(DType.FLOAT32).matmul(Tensor.of(b, 5, 4, 6).to(DType.FLOAT32));
        assertArrayEquals(new int[] {2, 5, 3, 6}, y.shape());
        double[] got = y.toDoubleArray();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                double[] ai = java.util.Arrays.copyOfRange(a, i * 12, i * 12 + 12);
                double[] bj = java.util.Arrays.copyOfRange(b, j * 24, j * 24 + 24);
                double[] want = naiveMatmul(ai, bj, 1, 3, 4, 6);
                for (int e = 0; e < 18; e++) assertEquals(want[e], got[(i * 5 + j) * 18 + e], 1e-5);
            }
        }
        double[] v = random(4), mat = random(4 * 3);
        Tensor vt = Tensor.of(v, 4), mt = Tensor.of(mat, 4, 3);
        Tensor vm = vt.matmul(mt);
        assertArrayEquals(new int[] {3}, vm.shape());
        assertArrayEquals(naiveMatmul(v, mat, 1, 1, 4, 3), vm.toDoubleArray(), 1e-12);
        Tensor mv = mt.t().matmul(vt);
        assertArrayEquals(new int[] {3}, mv.shape());
        assertArrayEquals(naiveMatmul(v, mat, 1, 1, 4, 3), mv.toDoubleArray(), 1e-12);
        Tensor dot = vt.matmul(vt);
        assertEquals(0, dot.dim());
        assertEquals(naiveMatmul(v, v, 1, 1, 4, 1)[0], dot.item(), 1e-12);
    }

    @OnEachBackend
    void matmulOfTransposedViewsMatchesTheirContiguousCopies(BackendUnderTest on) {
        // Transposed views go to the GEMM as transpose flags, not copies: every combination, a view
        // with a storage offset (rows 1.. of a larger matrix), a batch, and a strided slice (copied).
        Tensor a = Tensor.of(random(7 * 5), 7, 5), b = Tensor.of(random(6 * 5), 6, 5);
        Tensor at = a.slice(0, 1, 7).t(), bt = b.t();
        assertMatmulOfCopies(at, a.slice(0, 1, 7));
        assertMatmulOfCopies(a, bt);
        assertMatmulOfCopies(at, Tensor.of(random(4 * 6), 4, 6).t());
        assertMatmulOfCopies(at.t().slice(0, 0, 3).t(), Tensor.of(random(3 * 4), 3, 4));
        assertMatmulOfCopies(Tensor.of(random(2 * 3 * 5), 2, 3, 5), bt);
        assertMatmulOfCopies(a.slice(1, 0, 4), Tensor.of(random(4 * 2), 2, 4).t());
    }

    private static void assertMatmulOfCopies(Tensor x, Tensor y) {
        Tensor want = x.contiguous().matmul(y.contiguous()), got = x.matmul(y);
        assertArrayEquals(want.shape(), got.shape());
        assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 1e-12);
    }

    @OnEachBackend
    void linearMatchesReference(BackendUnderTest on) {
        double[] x = random(2 * 3 * 5), w = random(4 * 5), bias = random(4);
        Tensor y = F.linear(Tensor.of(x, 2, 3, 5), Tensor.of(w, 4, 5), Tensor.of(bias, 4));
        assertArrayEquals(new int[] {2, 3, 4}, y.shape());
        double[] got = y.toDoubleArray();
        for (int r = 0; r < 6; r++) {
            for (int o = 0; o < 4; o++) {
                double s = bias[o];
                for (int i = 0; i < 5; i++) s += x[r * 5 + i] * w[o * 5 + i];
                assertEquals(s, got[r * 4 + o], 1e-12);
            }
        }
    }

    @OnEachBackend
    void matmulRejectsMismatchedShapes(BackendUnderTest on) {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[2, 3]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> F.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null));
        assertTrue(e2.getMessage().contains("linear"), e2.getMessage());
    }

    private Tensor leaf(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return Tensor.of(random(n), shape).requiresGrad(true);
    }

    @OnEachBackend
    void gradcheckMatmulCases(BackendUnderTest on) {
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(3, 4), leaf(4, 5));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(2, 1, 3, 4), leaf(3, 4, 2));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(2, 3, 4), leaf(4, 2));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(4), leaf(2, 4, 3));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(3, 4), leaf(4));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(4), leaf(4));
        GradCheck.check(in -> in[0].t().matmul(in[1].t()), leaf(4, 3), leaf(5, 4));
    }

    @OnEachBackend
    void gradcheckLinear(BackendUnderTest on) {
        GradCheck.check(in -> F.linear(in[0], in[1], in[2]), leaf(3, 5), leaf(4, 5), leaf(4));
        GradCheck.check(in -> F.linear(in[0], in[1], null), leaf(2, 3, 5), leaf(4, 5));
        GradCheck.check(in -> F.linear(in[0], in[1], in[2]), leaf(5), leaf(2, 5), leaf(2));
    }

    // ------------------------------------------------------------------ the kernel against the CPU's

    /** One gemm call on the CPU and the backend under test, C starting from the same values. */
    private static Pair gemm(DType dt, boolean ta, boolean tb, int batch, int m, int n, int k, double alpha,
                             long sa, long sb, double beta, long sc, long seed) {
        long aLen = sa * Math.max(batch - 1, 0) + (long) m * k, bLen = sb * Math.max(batch - 1, 0) + (long) k * n;
        long cLen = sc * Math.max(batch - 1, 0) + (long) m * n;
        Pair a = Parity.random(seed, dt, (int) aLen), b = Parity.random(seed + 1, dt, (int) bLen);
        Pair c = Parity.random(seed + 2, dt, (int) cLen);
        Parity.cpu().blas().gemm(ta, tb, batch, m, n, k, alpha, a.cpu(), sa, b.cpu(), sb, beta, c.cpu(), sc);
        Parity.tested().blas().gemm(ta, tb, batch, m, n, k, alpha, a.tested(), sa, b.tested(), sb, beta,
                c.tested(), sc);
        return c;
    }

    static Stream<Arguments> floatTypes() {
        return BackendUnderTest.allButCpuTimes(List.of(DType.FLOAT32, DType.FLOAT64));
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("floatTypes")
    @ExtendWith(BackendInvocation.class)
    void gemmKernelEveryTransposeCombinationWithOddSizes(BackendUnderTest on, DType dt) {
        int m = 37, n = 23, k = 19;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Parity.assertClose("gemm " + dt + " transA=" + ta + " transB=" + tb,
                        gemm(dt, ta, tb, 1, m, n, k, 1.0, 0, 0, 0.0, 0, 11));
            }
        }
    }

    @ParityWithCpu
    void gemmKernelScalesByAlphaAndBetaAsInBlas(BackendUnderTest on) {
        Parity.assertClose("gemm alpha=-0.5 beta=1.5",
                gemm(DType.FLOAT32, false, true, 1, 9, 17, 33, -0.5, 0, 0, 1.5, 0, 5));
    }

    @ParityWithCpu
    void gemmKernelOnALargerProduct(BackendUnderTest on) {
        Parity.assertClose("gemm 257x129x300",
                gemm(DType.FLOAT32, false, false, 1, 257, 129, 300, 1.0, 0, 0, 0.0, 0, 7));
    }

    @ParityWithCpu
    void gemmKernelWithBetaZeroIgnoresNanInC(BackendUnderTest on) {
        Pair a = Parity.random(1, DType.FLOAT32, 3 * 4), b = Parity.random(2, DType.FLOAT32, 4 * 5);
        Pair c = Parity.poisoned(DType.FLOAT32, 3 * 5);
        Parity.cpu().blas().gemm(false, false, 1, 3, 5, 4, 1, a.cpu(), 0, b.cpu(), 0, 0, c.cpu(), 0);
        Parity.tested().blas().gemm(false, false, 1, 3, 5, 4, 1, a.tested(), 0, b.tested(), 0, 0, c.tested(), 0);
        Parity.assertClose("gemm beta=0 over NaN", c);
    }

    @ParityWithCpu
    void gemmKernelWithAnEmptyInnerDimensionGivesBetaTimesC(BackendUnderTest on) {
        Parity.assertClose("gemm k=0", gemm(DType.FLOAT32, false, false, 1, 4, 6, 0, 1.0, 0, 0, 0.5, 0, 3));
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("floatTypes")
    @ExtendWith(BackendInvocation.class)
    void gemmKernelStridedBatches(BackendUnderTest on, DType dt) {
        int m = 7, n = 13, k = 5;
        Parity.assertClose("batched gemm", gemm(dt, false, false, 6, m, n, k, 1.0, m * k, k * n, 0.0, m * n, 21));
        Parity.assertClose("batched gemm, shared B (stride 0), transposed A",
                gemm(dt, true, false, 5, m, n, k, 1.0, m * k, 0, 0.0, m * n, 22));
        Parity.assertClose("batched gemm with gaps between entries",
                gemm(dt, false, true, 3, m, n, k, 2.0, m * k + 3, k * n + 1, 0.5, m * n + 2, 23));
    }

    @ParityWithCpu
    void gemmKernelWithAZeroOutputStrideAccumulatesTheBatchInOrder(BackendUnderTest on) {
        Parity.assertClose("batched gemm into one C (beta=1)",
                gemm(DType.FLOAT32, false, false, 4, 6, 5, 7, 1.0, 42, 35, 1.0, 0, 31));
    }

    @ParityWithCpu
    void matmulThroughTheTensorApiMatchesTheCpu(BackendUnderTest on) {
        Pair a = Parity.random(41, DType.FLOAT32, 33, 65), b = Parity.random(42, DType.FLOAT32, 65, 17);
        Tensor cpu = a.cpu().matmul(b.cpu()), tested = a.tested().matmul(b.tested());
        Parity.assertClose("matmul", cpu, tested);
    }

    @ParityWithCpu
    void gemmKernelGivenACpuOperandFailsClearly(BackendUnderTest on) {
        Pair a = Parity.random(1, DType.FLOAT32, 4), c = Parity.empty(DType.FLOAT32, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> Parity.tested().blas()
                .gemm(false, false, 1, 2, 2, 2, 1, a.cpu(), 0, a.tested(), 0, 0, c.tested(), 0));
        assertTrue(e.getMessage().contains("cuda"), e.getMessage());
    }
}

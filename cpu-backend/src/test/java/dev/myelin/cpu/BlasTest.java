package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The GEMM kernel against a naive double reference, and matmul/linear through the Tensor API. */
class BlasTest {
    private static final Random RNG = new Random(42);

    private static double[] random(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = RNG.nextDouble() * 2 - 1;
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
    private static void checkGemm(DType dtype, boolean ta, boolean tb, int batch, int m, int n, int k, double alpha,
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
                                + " n=" + n + " k=" + k + " at [" + p + "," + i + "," + j + "]: " + got[ci] + " vs " + want);
                    }
                }
            }
        }
    }

    @Test
    void gemmMatchesReferenceOverOddShapesAndTransposes() {
        int[] sizes = {1, 2, 7, 17, 33};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
            for (int m : sizes) {
                for (int n : sizes) {
                    for (int k : sizes) {
                        boolean ta = RNG.nextBoolean(), tb = RNG.nextBoolean();
                        checkGemm(dtype, ta, tb, 1, m, n, k, 1, 0, false, false, tol);
                    }
                }
            }
        }
    }

    @Test
    void gemmCrossesCacheBlocksAndSplitsAcrossThreads() {
        // k > KC (256), m > MC (144), n spanning several 2-vector panels; large enough to run in parallel.
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                checkGemm(DType.FLOAT32, ta, tb, 1, 301, 130, 270, 0.5, 0.25, false, false, 1e-5);
            }
        }
        checkGemm(DType.FLOAT32, false, true, 1, 40, 1000, 130, 1, 0, false, false, 1e-5);
        checkGemm(DType.FLOAT64, true, false, 1, 150, 200, 260, -1, 1, false, false, 1e-13);
        checkGemm(DType.FLOAT64, false, false, 1, 20, 180, 300, 1, 0, false, false, 1e-13);
        // n beyond one NC block (4096 columns).
        checkGemm(DType.FLOAT32, false, false, 1, 7, 4200, 3, 1, 0, false, false, 1e-5);
    }

    @Test
    void gemmBatchesWithBroadcastOperandsAlphaAndBeta() {
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

    @Test
    void betaZeroIgnoresNanAndKZeroScalesC() {
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

    @Test
    void matmulThroughTensorApiBroadcastsBatchesAndPromotesVectors() {
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

    @Test
    void linearMatchesReference() {
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

    @Test
    void matmulRejectsMismatchedShapes() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[2, 3]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> F.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null));
        assertTrue(e2.getMessage().contains("linear"), e2.getMessage());
    }

    private static Tensor leaf(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return Tensor.of(random(n), shape).requiresGrad(true);
    }

    @Test
    void gradcheckMatmulCases() {
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(3, 4), leaf(4, 5));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(2, 1, 3, 4), leaf(3, 4, 2));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(2, 3, 4), leaf(4, 2));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(4), leaf(2, 4, 3));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(3, 4), leaf(4));
        GradCheck.check(in -> in[0].matmul(in[1]), leaf(4), leaf(4));
        GradCheck.check(in -> in[0].t().matmul(in[1].t()), leaf(4, 3), leaf(5, 4));
    }

    @Test
    void gradcheckLinear() {
        GradCheck.check(in -> F.linear(in[0], in[1], in[2]), leaf(3, 5), leaf(4, 5), leaf(4));
        GradCheck.check(in -> F.linear(in[0], in[1], null), leaf(2, 3, 5), leaf(4, 5));
        GradCheck.check(in -> F.linear(in[0], in[1], in[2]), leaf(5), leaf(2, 5), leaf(2));
    }
}

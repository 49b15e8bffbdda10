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
import dev.myelin.ops.Creation;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Batch norm on each backend: F.batchNorm against a naive float64 reference, its gradients and its
 * argument checks; the backend's normalization kernels ([N, C, S] as the core passes them) against the CPU's.
 */
class BatchNormTest {
    private static final double EPS = 1e-5;

    /** y, mean, biased var and unbiased var of x seen as [n, c, s], computed the obvious way. */
    private static double[][] reference(double[] x, int n, int c, int s, double[] w, double[] b, double eps) {
        double[] y = new double[x.length], mean = new double[c], var = new double[c], unbiased = new double[c];
        int count = n * s;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) sum += x[(i * c + ch) * s + j];
            mean[ch] = sum / count;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) sq += Math.pow(x[(i * c + ch) * s + j] - mean[ch], 2);
            }
            var[ch] = sq / count;
            unbiased[ch] = sq / (count - 1);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    int k = (i * c + ch) * s + j;
                    y[k] = (x[k] - mean[ch]) / Math.sqrt(var[ch] + eps) * (w == null ? 1 : w[ch])
                            + (b == null ? 0 : b[ch]);
                }
            }
        }
        return new double[][] {y, mean, var, unbiased};
    }

    private static double[] random(Random r, int n, double shift, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = shift + scale * r.nextGaussian();
        return v;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    private static double[] roundToFloat(double[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = (float) v[i];
        return d;
    }

    /** Training forward and running statistics, float64, for [N, C] and [N, C, H, W], affine or not. */
    @OnEachBackend
    void trainingForwardMatchesReferenceAndUpdatesRunningStats(BackendUnderTest on) {
        Random r = new Random(1);
        int[][] shapes = {{6, 4}, {3, 4, 5, 2}};
        for (int[] shape : shapes) {
            for (boolean affine : new boolean[] {true, false}) {
                int n = shape[0], c = shape[1], s = shape.length == 2 ? 1 : shape[2] * shape[3];
                double[] x = random(r, n * c * s, 0.5, 2), w = affine ? random(r, c, 1, 0.5) : null;
                double[] b = affine ? random(r, c, 0, 0.5) : null;
                double[] rm0 = random(r, c, 0, 1), rv0 = random(r, c, 2, 0.1);
                Tensor rm = Tensor.of(rm0.clone(), c), rv = Tensor.of(rv0.clone(), c);
                Tensor y = F.batchNorm(Tensor.of(x, shape), rm, rv, affine ? Tensor.of(w, c) : null,
                        affine ? Tensor.of(b, c) : null, true, 0.1, EPS);
                double[][] ref = reference(x, n, c, s, w, b, EPS);
                assertArrayEquals(shape, y.shape());
                assertArrayEquals(ref[0], y.toDoubleArray(), 1e-12);
                double[] expectedMean = new double[c], expectedVar = new double[c];
                for (int ch = 0; ch < c; ch++) {
                    expectedMean[ch] = 0.9 * rm0[ch] + 0.1 * ref[1][ch];
                    expectedVar[ch] = 0.9 * rv0[ch] + 0.1 * ref[3][ch];
                }
                assertArrayEquals(expectedMean, rm.toDoubleArray(), 1e-14);
                assertArrayEquals(expectedVar, rv.toDoubleArray(), 1e-14, "running_var uses the unbiased variance");
            }
        }
    }

    /**
     * Float32 through both vectorized layouts (S == 1 across channels, S > 1 along planes), with
     * sizes that leave scalar tails, more rows than one float block, and a large common offset
     * that a one-pass variance would cancel away.
     */
    @OnEachBackend
    void float32ForwardMatchesReferenceAcrossLayouts(BackendUnderTest on) {
        Random r = new Random(2);
        // 83 channels: a wide tile, single vectors and a scalar tail in the S == 1 sums.
        int[][] shapes = {{300, 19}, {5, 7}, {37, 83}, {4, 3, 37}, {2, 5, 40, 40}, {3, 2, 1, 3}};
        for (int[] shape : shapes) {
            int n = shape[0], c = shape[1], s = 1;
            for (int i = 2; i < shape.length; i++) s *= shape[i];
            double[] x = roundToFloat(random(r, n * c * s, 1000, 1.5));
            double[] w = roundToFloat(random(r, c, 1, 0.3)), b = roundToFloat(random(r, c, 0, 0.3));
            double[] rm0 = roundToFloat(random(r, c, 0, 1)), rv0 = roundToFloat(random(r, c, 1, 0.1));
            Tensor rm = Tensor.of(toFloat(rm0), c), rv = Tensor.of(toFloat(rv0), c);
            Tensor y = F.batchNorm(Tensor.of(toFloat(x), shape), rm, rv, Tensor.of(toFloat(w), c),
                    Tensor.of(toFloat(b), c), true, 0.25, EPS);
            double[][] ref = reference(x, n, c, s, w, b, EPS);
            assertEquals(DType.FLOAT32, y.dtype());
            assertArrayEquals(ref[0], y.toDoubleArray(), 1e-5, "y for shape " + java.util.Arrays.toString(shape));
            for (int ch = 0; ch < c; ch++) {
                assertEquals(0.75 * rm0[ch] + 0.25 * ref[1][ch], rm.toDoubleArray()[ch], 1e-4);
                assertEquals(0.75 * rv0[ch] + 0.25 * ref[3][ch], rv.toDoubleArray()[ch], 1e-4 * (1 + ref[3][ch]));
            }
        }
    }

    @OnEachBackend
    void evalUsesRunningStatisticsAndLeavesThemAlone(BackendUnderTest on) {
        Random r = new Random(3);
        int n = 2, c = 3, s = 4;
        double[] x = random(r, n * c * s, 0, 1), w = random(r, c, 1, 0.5), b = random(r, c, 0, 0.5);
        double[] rm = random(r, c, 0, 1), rv = random(r, c, 1.5, 0.2);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor runningMean = Tensor.of(rm, c).to(dtype), runningVar = Tensor.of(rv, c).to(dtype);
            Tensor y = F.batchNorm(Tensor.of(x, n, c, 2, 2).to(dtype), runningMean, runningVar,
                    Tensor.of(w, c).to(dtype), Tensor.of(b, c).to(dtype), false, 0.1, 1e-3);
            double[] got = y.toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                int ch = (i / s) % c;
                double expected = (x[i] - rm[ch]) / Math.sqrt(rv[ch] + 1e-3) * w[ch] + b[ch];
                assertEquals(expected, got[i], dtype == DType.FLOAT64 ? 1e-12 : 1e-5);
            }
            assertArrayEquals(rm, runningMean.toDoubleArray(), dtype == DType.FLOAT64 ? 0 : 1e-7);
            assertArrayEquals(rv, runningVar.toDoubleArray(), dtype == DType.FLOAT64 ? 0 : 1e-7);
        }
        Tensor single = F.batchNorm(Tensor.of(new double[] {1, 2}, 1, 2), Tensor.of(new double[] {0, 0}, 2),
                Tensor.of(new double[] {1, 1}, 2), null, null, false, 0.1, EPS);
        assertArrayEquals(new double[] {1 / Math.sqrt(1 + EPS), 2 / Math.sqrt(1 + EPS)}, single.toDoubleArray(), 1e-12,
                "eval mode accepts a single value per channel");
    }

    @OnEachBackend
    void nonContiguousInputAndRunningStatsViews(BackendUnderTest on) {
        Random r = new Random(4);
        double[] x = random(r, 12, 0, 1);
        Tensor xt = Tensor.of(x, 3, 4).t();
        Tensor buffer = Tensor.zeros(DType.FLOAT64, 3, 2);
        Tensor rm = buffer.select(1, 0);
        assertFalse(xt.isContiguous());
        assertFalse(rm.isContiguous());
        Tensor y = F.batchNorm(xt, rm, null, null, null, true, 0.5, EPS);
        double[] xc = xt.contiguous().toDoubleArray();
        double[][] ref = reference(xc, 4, 3, 1, null, null, EPS);
        assertArrayEquals(ref[0], y.toDoubleArray(), 1e-12);
        double[] buf = buffer.toDoubleArray();
        for (int ch = 0; ch < 3; ch++) {
            assertEquals(0.5 * ref[1][ch], buf[2 * ch], 1e-14, "the strided running_mean view is updated in place");
            assertEquals(0, buf[2 * ch + 1]);
        }
    }

    @OnEachBackend
    void gradcheckTrainingMode(BackendUnderTest on) {
        Random r = new Random(5);
        for (int[] shape : new int[][] {{5, 3}, {2, 3, 2, 2}}) {
            int c = shape[1], numel = 1;
            for (int d : shape) numel *= d;
            Tensor x = Tensor.of(random(r, numel, 0.3, 1), shape).requiresGrad(true);
            Tensor w = Tensor.of(random(r, c, 1, 0.3), c).requiresGrad(true);
            Tensor b = Tensor.of(random(r, c, 0, 0.3), c).requiresGrad(true);
            // Running statistics would change on every re-evaluation: leave them out here.
            GradCheck.check(in -> F.batchNorm(in[0], null, null, in[1], in[2], true, 0.1, EPS), x, w, b);
            GradCheck.check(in -> F.batchNorm(in[0], null, null, null, null, true, 0.1, EPS), x);
        }
    }

    @OnEachBackend
    void gradcheckEvalMode(BackendUnderTest on) {
        Random r = new Random(6);
        int c = 3;
        Tensor x = Tensor.of(random(r, 2 * c * 3, 0, 1), 2, c, 3).requiresGrad(true);
        Tensor w = Tensor.of(random(r, c, 1, 0.3), c).requiresGrad(true);
        Tensor b = Tensor.of(random(r, c, 0, 0.3), c).requiresGrad(true);
        Tensor rm = Tensor.of(random(r, c, 0, 1), c), rv = Tensor.of(random(r, c, 1, 0.1), c);
        GradCheck.check(in -> F.batchNorm(in[0], rm, rv, in[1], in[2], false, 0.1, EPS), x, w, b);
    }

    /** The vectorized float32 backward agrees with the float64 one on the same data. */
    @OnEachBackend
    void float32BackwardMatchesFloat64(BackendUnderTest on) {
        Random r = new Random(7);
        for (int[] shape : new int[][] {{270, 11}, {33, 83}, {3, 4, 5, 7}}) {
            for (boolean training : new boolean[] {true, false}) {
                int c = shape[1], numel = 1;
                for (int d : shape) numel *= d;
                double[] x = roundToFloat(random(r, numel, 2, 1)), g = roundToFloat(random(r, numel, 0, 1));
                double[] w = roundToFloat(random(r, c, 1, 0.3)), b = roundToFloat(random(r, c, 0, 0.3));
                double[] rm = roundToFloat(random(r, c, 2, 0.5)), rv = roundToFloat(random(r, c, 1, 0.1));
                double[][] grads = new double[2][];
                double[][] weightGrads = new double[2][], biasGrads = new double[2][];
                DType[] dtypes = {DType.FLOAT64, DType.FLOAT32};
                for (int k = 0; k < 2; k++) {
                    DType dt = dtypes[k];
                    Tensor xt = Tensor.of(x, shape).to(dt).requiresGrad(true);
                    Tensor wt = Tensor.of(w, c).to(dt).requiresGrad(true),
                            bt = Tensor.of(b, c).to(dt).requiresGrad(true);
                    Tensor y = F.batchNorm(xt, Tensor.of(rm, c).to(dt), Tensor.of(rv, c).to(dt), wt, bt,
                            training, 0.1, EPS);
                    y.backward(Tensor.of(g, shape).to(dt));
                    grads[k] = xt.grad().toDoubleArray();
                    weightGrads[k] = wt.grad().toDoubleArray();
                    biasGrads[k] = bt.grad().toDoubleArray();
                }
                assertArrayEquals(grads[0], grads[1], 1e-4);
                for (int ch = 0; ch < c; ch++) {
                    assertEquals(weightGrads[0][ch], weightGrads[1][ch], 1e-5 * (numel + Math.abs(weightGrads[0][ch])));
                    assertEquals(biasGrads[0][ch], biasGrads[1][ch], 1e-5 * numel);
                }
            }
        }
    }

    @OnEachBackend
    void gradientOnlyForWhatRequiresIt(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[] {1, 2, 4, 3, 0, 5}, 3, 2);
        Tensor w = Tensor.of(new double[] {1.5, -2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {0.5, 1}, 2);
        F.batchNorm(x, null, null, w, b, true, 0.1, EPS).sum().backward();
        assertNull(x.grad());
        assertNull(b.grad());
        // sum(y) depends on w only through sum(xhat) = 0.
        assertArrayEquals(new double[] {0, 0}, w.grad().toDoubleArray(), 1e-12);
    }

    @OnEachBackend
    void invalidArgumentsAreRejected(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[12], 3, 4);
        Tensor c4 = Tensor.of(new double[] {0, 0, 0, 0}, 4), ones4 = Tensor.of(new double[] {1, 1, 1, 1}, 4);
        Tensor c3 = Tensor.of(new double[] {0, 0, 0}, 3);
        assertError(() -> F.batchNorm(Tensor.of(new double[4], 4), null, null, null, null, true, 0.1, EPS),
                "batch_norm", "[4]");
        assertError(() -> F.batchNorm(Tensor.of(new double[0], 0, 4), null, null, null, null, true, 0.1, EPS),
                "batch_norm", "empty", "[0, 4]");
        assertError(() -> F.batchNorm(x, null, null, c3, null, true, 0.1, EPS), "batch_norm", "'weight'", "[3]");
        assertError(() -> F.batchNorm(x, null, null, null, c3, true, 0.1, EPS), "batch_norm", "'bias'");
        assertError(() -> F.batchNorm(x, c3, ones4, null, null, true, 0.1, EPS), "batch_norm", "'running_mean'");
        assertError(() -> F.batchNorm(x, c4, c3, null, null, true, 0.1, EPS), "batch_norm", "'running_var'");
        assertError(() -> F.batchNorm(x, null, null, Tensor.ones(4), null, true, 0.1, EPS), "batch_norm", "dtype");
        assertError(() -> F.batchNorm(x, null, null, null, null, true, 0.1, 0), "batch_norm", "eps");
        assertError(() -> F.batchNorm(x, null, null, null, null, true, 0.1, -1e-5), "batch_norm", "eps");
        assertError(() -> F.batchNorm(x, null, null, null, null, true, 1.5, EPS), "batch_norm", "momentum");
        assertError(() -> F.batchNorm(x, null, null, null, null, true, -0.1, EPS), "batch_norm", "momentum");
        assertError(() -> F.batchNorm(x, null, null, null, null, true, Double.NaN, EPS), "batch_norm", "momentum");
        assertError(() -> F.batchNorm(Tensor.of(new double[4], 1, 4), null, null, null, null, true, 0.1, EPS),
                "batch_norm: expected more than 1 value per channel when training, got input of shape [1, 4]");
        assertError(() -> F.batchNorm(Tensor.of(new double[3], 1, 3, 1, 1), null, null, null, null, true, 0.1, EPS),
                "more than 1 value per channel", "[1, 3, 1, 1]");
        assertError(() -> F.batchNorm(x, null, ones4, null, null, false, 0.1, EPS),
                "batch_norm", "running_mean", "eval");
        assertError(() -> F.batchNorm(x, c4, null, null, null, false, 0.1, EPS), "batch_norm", "running_var", "eval");
        assertError(() -> F.batchNorm(Tensor.of(new int[] {1, 2, 3, 4}, 2, 2), null, null, null, null, true, 0.1, EPS),
                "batch_norm", "input");
    }

    // ---------------------------------------------------------------- the kernels against the CPU's

    record Case(int n, int c, int s, boolean affine, boolean running, DType dtype) {
        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + s + "]" + (affine ? " affine" : "") + (running ? " running" : "")
                    + " " + dtype;
        }
    }

    static Stream<Arguments> cases() {
        return BackendUnderTest.allButCpuTimes(List.of(
                new Case(8, 5, 1, true, true, DType.FLOAT32), // BatchNorm1d on [N, C]
                new Case(4, 3, 37, true, true, DType.FLOAT32),
                new Case(3, 7, 11, false, true, DType.FLOAT32),
                new Case(5, 2, 9, true, false, DType.FLOAT32),
                new Case(2, 16, 28 * 28, true, true, DType.FLOAT32),
                new Case(3, 4, 10, true, true, DType.FLOAT64)));
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("cases")
    @ExtendWith(BackendInvocation.class)
    void trainingKernelUpdatesRunningStatisticsAsTheCpu(BackendUnderTest on, Case k) {
        DType dt = k.dtype();
        Pair x = Parity.uniform(1, dt, -2, 3, k.n(), k.c(), k.s());
        Pair w = k.affine() ? Parity.uniform(2, dt, 0.5, 1.5, k.c()) : Pair.NONE;
        Pair b = k.affine() ? Parity.random(3, dt, k.c()) : Pair.NONE;
        Pair rm = k.running() ? Parity.random(4, dt, k.c()) : Pair.NONE;
        Pair rv = k.running() ? Parity.uniform(5, dt, 0.5, 2, k.c()) : Pair.NONE;
        Pair y = Parity.poisoned(dt, k.n(), k.c(), k.s());
        Pair mean = Parity.poisoned(dt, k.c()), invStd = Parity.poisoned(dt, k.c());
        Parity.cpu().normalization().batchNormTrain(x.cpu(), w.cpu(), b.cpu(), rm.cpu(), rv.cpu(), 0.1, 1e-5, y.cpu(),
                mean.cpu(), invStd.cpu());
        on.backend().normalization().batchNormTrain(x.tested(), w.tested(), b.tested(), rm.tested(), rv.tested(), 0.1,
                1e-5, y.tested(), mean.tested(), invStd.tested());
        Parity.assertClose("batch norm y " + k, y);
        Parity.assertClose("batch norm saved mean " + k, mean);
        Parity.assertClose("batch norm saved invStd " + k, invStd);
        if (k.running()) {
            Parity.assertClose("batch norm running mean " + k, rm);
            Parity.assertClose("batch norm running var (unbiased) " + k, rv);
        }
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("cases")
    @ExtendWith(BackendInvocation.class)
    void inferenceKernelUsesTheRunningStatistics(BackendUnderTest on, Case k) {
        DType dt = k.dtype();
        Pair x = Parity.random(6, dt, k.n(), k.c(), k.s());
        Pair w = k.affine() ? Parity.uniform(7, dt, 0.5, 1.5, k.c()) : Pair.NONE;
        Pair b = k.affine() ? Parity.random(8, dt, k.c()) : Pair.NONE;
        Pair rm = Parity.random(9, dt, k.c()), rv = Parity.uniform(10, dt, 0.5, 2, k.c());
        Pair y = Parity.poisoned(dt, k.n(), k.c(), k.s());
        Parity.cpu().normalization().batchNormInference(x.cpu(), w.cpu(), b.cpu(), rm.cpu(), rv.cpu(), 1e-3, y.cpu());
        on.backend().normalization().batchNormInference(x.tested(), w.tested(), b.tested(), rm.tested(), rv.tested(),
                1e-3, y.tested());
        Parity.assertClose("batch norm inference " + k, y);
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("cases")
    @ExtendWith(BackendInvocation.class)
    void backwardKernelInTrainingAndEvalMode(BackendUnderTest on, Case k) {
        DType dt = k.dtype();
        for (boolean batchStats : new boolean[] {true, false}) {
            Pair x = Parity.uniform(11, dt, -2, 3, k.n(), k.c(), k.s());
            Pair gy = Parity.random(12, dt, k.n(), k.c(), k.s());
            Pair w = k.affine() ? Parity.uniform(13, dt, 0.5, 1.5, k.c()) : Pair.NONE;
            // Statistics as a training forward saves them: the batch's mean and 1/sqrt(var + eps).
            Tensor y = Tensor.empty(Parity.cpu(), dt, k.n(), k.c(), k.s());
            Tensor mean = Tensor.empty(Parity.cpu(), dt, k.c()), invStd = Tensor.empty(Parity.cpu(), dt, k.c());
            Parity.cpu().normalization().batchNormTrain(x.cpu(), null, null, null, null, 0.1, 1e-5, y, mean, invStd);
            Pair m = Parity.of(dt, Creation.toHost(mean).toDoubles(), k.c());
            Pair inv = Parity.of(dt, Creation.toHost(invStd).toDoubles(), k.c());
            Pair gx = Parity.poisoned(dt, k.n(), k.c(), k.s());
            Pair gw = k.affine() ? Parity.poisoned(dt, k.c()) : Pair.NONE;
            Pair gb = k.affine() ? Parity.poisoned(dt, k.c()) : Pair.NONE;
            Parity.cpu().normalization().batchNormBackward(batchStats, x.cpu(), gy.cpu(), w.cpu(), m.cpu(), inv.cpu(),
                    gx.cpu(), gw.cpu(), gb.cpu());
            on.backend().normalization().batchNormBackward(batchStats, x.tested(), gy.tested(), w.tested(), m.tested(),
                    inv.tested(), gx.tested(), gw.tested(), gb.tested());
            String what = (batchStats ? "training" : "eval") + " backward " + k;
            Parity.assertClose("batch norm gradX " + what, gx);
            if (k.affine()) {
                Parity.assertClose("batch norm gradWeight " + what, gw);
                Parity.assertClose("batch norm gradBias " + what, gb);
            }
        }
    }

    private static void assertError(org.junit.jupiter.api.function.Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
    }
}

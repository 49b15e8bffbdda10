package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.nn.functional.F;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import dev.myelin.testing.Parity;
import dev.myelin.testing.Parity.Pair;
import dev.myelin.testing.ParityWithCpu;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Layer norm on each backend: F.layerNorm against a naive float64 reference, its gradients and its
 * argument checks; the backend's kernels (warp and block rows) against the CPU's, forward and backward.
 */
class LayerNormTest {
    private static final double EPS = 1e-5;

    /** Each row of cols normalized with its mean and biased variance, then scaled and shifted. */
    private static double[] reference(double[] x, int cols, double[] w, double[] b, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / cols; r++) {
            double mean = 0, var = 0;
            for (int i = 0; i < cols; i++) mean += x[r * cols + i] / cols;
            for (int i = 0; i < cols; i++) var += Math.pow(x[r * cols + i] - mean, 2) / cols;
            for (int i = 0; i < cols; i++) {
                y[r * cols + i] = (x[r * cols + i] - mean) / Math.sqrt(var + eps) * (w == null ? 1 : w[i])
                        + (b == null ? 0 : b[i]);
            }
        }
        return y;
    }

    private static double[] random(Random r, int n, double shift, double scale, boolean roundToFloat) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = shift + scale * r.nextGaussian();
            if (roundToFloat) v[i] = (float) v[i];
        }
        return v;
    }

    @OnEachBackend
    void forwardMatchesReference(BackendUnderTest on) {
        Random r = new Random(11);
        // {input shape..., number of normalized trailing dims}
        int[][] cases = {{4, 6, 1}, {2, 3, 5, 2}, {7, 1}};
        for (int[] c : cases) {
            int[] shape = Arrays.copyOf(c, c.length - 1);
            int[] normalized = Arrays.copyOfRange(shape, shape.length - c[c.length - 1], shape.length);
            int cols = 1, numel = 1;
            for (int d : normalized) cols *= d;
            for (int d : shape) numel *= d;
            double[] x = random(r, numel, 0.5, 2, false), w = random(r, cols, 1, 0.5, false),
                    b = random(r, cols, 0, 0.5, false);
            Tensor y = F.layerNorm(Tensor.of(x, shape), normalized, Tensor.of(w, normalized),
                    Tensor.of(b, normalized), EPS);
            assertArrayEquals(shape, y.shape());
            assertArrayEquals(reference(x, cols, w, b, EPS), y.toDoubleArray(), 1e-12);
            Tensor plain = F.layerNorm(Tensor.of(x, shape), normalized, null, null, 1e-3);
            assertArrayEquals(reference(x, cols, null, null, 1e-3), plain.toDoubleArray(), 1e-12);
        }
    }

    /** Float32 rows with scalar tails, full vectors only, and a large common offset. */
    @OnEachBackend
    void float32ForwardMatchesReference(BackendUnderTest on) {
        Random r = new Random(12);
        for (int[] shape : new int[][] {{300, 37}, {5, 64}, {3, 5}, {2, 4100}}) {
            int rows = shape[0], cols = shape[1];
            double[] x = random(r, rows * cols, 1000, 1.5, true);
            double[] w = random(r, cols, 1, 0.3, true), b = random(r, cols, 0, 0.3, true);
            Tensor y = F.layerNorm(Tensor.of(x, shape).to(DType.FLOAT32), new int[] {cols},
                    Tensor.of(w, cols).to(DType.FLOAT32), Tensor.of(b, cols).to(DType.FLOAT32), EPS);
            assertEquals(DType.FLOAT32, y.dtype());
            assertArrayEquals(reference(x, cols, w, b, EPS), y.toDoubleArray(), 1e-5, Arrays.toString(shape));
        }
    }

    @OnEachBackend
    void gradcheck(BackendUnderTest on) {
        Random r = new Random(13);
        Tensor x = Tensor.of(random(r, 15, 0.3, 1, false), 3, 5).requiresGrad(true);
        Tensor w = Tensor.of(random(r, 5, 1, 0.3, false), 5).requiresGrad(true);
        Tensor b = Tensor.of(random(r, 5, 0, 0.3, false), 5).requiresGrad(true);
        GradCheck.check(in -> F.layerNorm(in[0], new int[] {5}, in[1], in[2], EPS), x, w, b);
        GradCheck.check(in -> F.layerNorm(in[0], new int[] {5}, null, null, EPS), x);

        Tensor x3 = Tensor.of(random(r, 24, 0, 1, false), 2, 3, 4).requiresGrad(true);
        Tensor w2 = Tensor.of(random(r, 12, 1, 0.3, false), 3, 4).requiresGrad(true);
        Tensor b2 = Tensor.of(random(r, 12, 0, 0.3, false), 3, 4).requiresGrad(true);
        GradCheck.check(in -> F.layerNorm(in[0], new int[] {3, 4}, in[1], in[2], EPS), x3, w2, b2);
    }

    /** The vectorized float32 backward agrees with the float64 one (rows > one float block, tails). */
    @OnEachBackend
    void float32BackwardMatchesFloat64(BackendUnderTest on) {
        Random r = new Random(14);
        int rows = 300, cols = 37;
        double[] x = random(r, rows * cols, 2, 1, true), g = random(r, rows * cols, 0, 1, true);
        double[] w = random(r, cols, 1, 0.3, true), b = random(r, cols, 0, 0.3, true);
        double[][] gx = new double[2][], gw = new double[2][], gb = new double[2][];
        DType[] dtypes = {DType.FLOAT64, DType.FLOAT32};
        for (int k = 0; k < 2; k++) {
            Tensor xt = Tensor.of(x, rows, cols).to(dtypes[k]).requiresGrad(true);
            Tensor wt = Tensor.of(w, cols).to(dtypes[k]).requiresGrad(true);
            Tensor bt = Tensor.of(b, cols).to(dtypes[k]).requiresGrad(true);
            F.layerNorm(xt, new int[] {cols}, wt, bt, EPS).backward(Tensor.of(g, rows, cols).to(dtypes[k]));
            gx[k] = xt.grad().toDoubleArray();
            gw[k] = wt.grad().toDoubleArray();
            gb[k] = bt.grad().toDoubleArray();
        }
        assertArrayEquals(gx[0], gx[1], 1e-4);
        assertArrayEquals(gw[0], gw[1], 1e-3);
        assertArrayEquals(gb[0], gb[1], 1e-3);
    }

    @OnEachBackend
    void invalidArgumentsAreRejected(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[20], 4, 5);
        assertError(() -> F.layerNorm(x, new int[] {4}, null, null, EPS), "layer_norm", "[4]", "[4, 5]", "[*, 4]");
        assertError(() -> F.layerNorm(x, new int[] {3, 4, 5}, null, null, EPS), "layer_norm", "[3, 4, 5]");
        assertError(() -> F.layerNorm(x, new int[0], null, null, EPS), "layer_norm", "normalized_shape");
        assertError(() -> F.layerNorm(x, new int[] {5}, Tensor.of(new double[4], 4), null, EPS),
                "layer_norm", "'weight'", "[5]", "[4]");
        assertError(() -> F.layerNorm(x, new int[] {5}, null, Tensor.of(new double[5], 1, 5), EPS),
                "layer_norm", "'bias'", "[1, 5]");
        assertError(() -> F.layerNorm(x, new int[] {5}, Tensor.ones(5), null, EPS), "layer_norm", "dtype");
        assertError(() -> F.layerNorm(x, new int[] {5}, null, null, 0), "layer_norm", "eps");
        assertError(() -> F.layerNorm(Tensor.of(new long[] {1, 2}, 2), new int[] {2}, null, null, EPS), "layer_norm");
    }

    // ---------------------------------------------------------------- the kernels against the CPU's

    @ParityWithCpu
    void kernelsForwardAndBackwardMatchTheCpu(BackendUnderTest on) {
        Normalization cpu = Parity.cpu().normalization(), tested = on.backend().normalization();
        int[][] shapes = {{1, 1}, {7, 33}, {3000, 40}, {5, 4099}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : shapes) {
                for (boolean affine : new boolean[] {false, true}) {
                    int m = s[0], d = s[1];
                    String what = "layerNorm " + dt + " " + m + "x" + d + (affine ? " affine" : "");
                    Pair x = Parity.uniform(d, dt, 2, 4, m, d);
                    Pair w = affine ? Parity.uniform(2, dt, 0.5, 1.5, d) : Pair.NONE;
                    Pair b = affine ? Parity.uniform(3, dt, -1, 1, d) : Pair.NONE;
                    Pair y = Parity.poisoned(dt, m, d), mean = Parity.poisoned(dt, m), inv = Parity.poisoned(dt, m);
                    cpu.layerNorm(x.cpu(), w.cpu(), b.cpu(), 1e-5, y.cpu(), mean.cpu(), inv.cpu());
                    tested.layerNorm(x.tested(), w.tested(), b.tested(), 1e-5, y.tested(), mean.tested(), inv.tested());
                    Parity.assertClose(what, y);
                    Parity.assertClose(what + " mean", mean);
                    Parity.assertClose(what + " invStd", inv);
                    Pair g = Parity.uniform(4, dt, -1, 1, m, d), gx = Parity.poisoned(dt, m, d);
                    Pair gw = affine ? Parity.poisoned(dt, d) : Pair.NONE,
                            gb = affine ? Parity.poisoned(dt, d) : Pair.NONE;
                    cpu.layerNormBackward(x.cpu(), g.cpu(), w.cpu(), mean.cpu(), inv.cpu(),
                            gx.cpu(), gw.cpu(), gb.cpu());
                    tested.layerNormBackward(x.tested(), g.tested(), w.tested(), mean.tested(), inv.tested(),
                            gx.tested(), gw.tested(), gb.tested());
                    Parity.assertClose(what + " gradX", gx);
                    if (affine) {
                        Parity.assertClose(what + " gradWeight", gw);
                        Parity.assertClose(what + " gradBias", gb);
                    }
                }
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

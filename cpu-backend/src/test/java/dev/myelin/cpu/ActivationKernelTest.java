package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The CPU's own activation details: its erf fit against high-precision values, and large tensors split
 * over threads (elementwise and softmax rows and columns) giving the reference values. The activations'
 * device-generic tests are backend-tests' dev.myelin.backend.ActivationTest.
 */
class ActivationKernelTest {
    private static final Random RANDOM = new Random(7);

    /**
     * The positive-term series erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^k x^(2k+1) / (2k+1)!!: independent of the kernel's
     * fit.
     */
    private static double erfSeries(double x) {
        double term = x, sum = x;
        for (int k = 1; k < 400 && Math.abs(term) > 1e-18 * Math.abs(sum); k++) {
            term *= 2 * x * x / (2 * k + 1);
            sum += term;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Naive forward reference: the textbook definitions. */
    private static double reference(Kind kind, double slope, double x) {
        return switch (kind) {
            case RELU -> Math.max(x, 0);
            case LEAKY_RELU -> x >= 0 ? x : slope * x;
            case SIGMOID -> sigmoid(x);
            case TANH -> Math.tanh(x);
            case GELU -> 0.5 * x * (1 + erfSeries(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case SILU -> x * sigmoid(x);
            default -> throw new IllegalArgumentException("no reference for " + kind);
        };
    }

    /** Naive derivative f'(x). */
    private static double derivative(Kind kind, double slope, double x) {
        return switch (kind) {
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : slope;
            case SIGMOID -> sigmoid(x) * (1 - sigmoid(x));
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
            case GELU -> 0.5 * (1 + erfSeries(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
            case GELU_TANH -> {
                double k = Math.sqrt(2 / Math.PI), u = k * (x + 0.044715 * x * x * x), t = Math.tanh(u);
                yield 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
            }
            case SILU -> sigmoid(x) * (1 + x * (1 - sigmoid(x)));
            default -> throw new IllegalArgumentException("no derivative for " + kind);
        };
    }

    private static double[] data(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * (2 * RANDOM.nextDouble() - 1);
        return v;
    }

    private static void assertClose(double want, double got, double rtol, double atol, String what) {
        assertEquals(want, got, atol + rtol * Math.abs(want), what);
    }

    // ------------------------------------------------------------------ erf

    @Test
    void erfMatchesHighPrecisionValues() {
        // erf to 20 digits (mpmath at 30 digits).
        double[][] known = {
            {0.1, 0.1124629160182848922}, {0.5, 0.52049987781304653768}, {1, 0.84270079294971486934},
            {1.5, 0.96610514647531072707}, {2, 0.99532226501895273416}, {2.5, 0.99959304798255504106},
            {3, 0.99997790950300141456}, {4, 0.99999998458274209972}, {5, 0.99999999999846254021},
            {-0.75, -0.7111556336535151316}, {1e-10, 1.1283791670955125739e-10}, {5.9, 0.9999999999999999281},
        };
        for (double[] k : known) assertClose(k[1], ActivationMath.erf(k[0]), 1e-15, 0, "erf(" + k[0] + ")");
        assertEquals(1.0, ActivationMath.erf(7));
        assertEquals(-1.0, ActivationMath.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(ActivationMath.erf(Double.NaN)));
        assertEquals(-0.0, ActivationMath.erf(-0.0));
        // Dense sweep over [-5, 5] (every piece and boundary) against the independent series.
        for (int i = -5000; i <= 5000; i++) {
            double x = i * 1e-3;
            assertClose(erfSeries(x), ActivationMath.erf(x), 2e-15, 1e-300, "erf(" + x + ")");
        }
    }

    // ------------------------------------------------------------------ activations

    /** ReLU's vector loop (not only its scalar end) gives max(x, 0) bit for bit: NaN stays NaN and -0 gives 0. */
    @Test
    void reluInVectorLanesIsMaxWithZero() {
        float[] special = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -Float.MIN_VALUE,
            Float.MIN_VALUE, -1.5f, 2.5f};
        float[] x = new float[5 * VecFloat.L + 3], y = new float[x.length];
        for (int i = 0; i < x.length; i++) x[i] = special[i % special.length];
        ActivationFloat.forward(Kind.RELU, 0f, x, 0, y, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(Math.max(x[i], 0f)), Float.floatToIntBits(y[i]), "relu(" + x[i] + ")");
        }
    }

    @Test
    void largeTensorsSplitOverThreadsWithTheSameValues() {
        int n = 1 << 18;
        double[] v = data(n, 5);
        Tensor x = Tensor.of(v, n).to(DType.FLOAT32).requiresGrad(true);
        Tensor y = F.silu(x);
        y.sum().backward();
        float[] xs = x.toFloatArray(), ys = y.toFloatArray(), gx = x.grad().toFloatArray();
        for (int i = 0; i < n; i += 1009) {
            assertClose(reference(Kind.SILU, 0, xs[i]), ys[i], 2e-6, 1e-7, "silu at " + i);
            assertClose(derivative(Kind.SILU, 0, xs[i]), gx[i], 2e-6, 1e-7, "silu grad at " + i);
        }
        float[] gelu = F.gelu(x).toFloatArray();
        for (int i = 0; i < n; i += 1009) {
            assertClose(reference(Kind.GELU, 0, xs[i]), gelu[i], 2e-6, 1e-7, "gelu at " + i);
        }
    }

    // ------------------------------------------------------------------ softmax

    /** Naive softmax of x [a, b, c] (row-major) along dim. */
    private static double[] softmaxReference(double[] x, int[] shape, int dim, boolean log) {
        int outer = 1, inner = 1, n = shape[dim];
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        double[] y = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < inner; c++) {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int k = 0; k < n; k++) max = Math.max(max, x[(o * n + k) * inner + c]);
                for (int k = 0; k < n; k++) sum += Math.exp(x[(o * n + k) * inner + c] - max);
                for (int k = 0; k < n; k++) {
                    int i = (o * n + k) * inner + c;
                    y[i] = log ? x[i] - max - Math.log(sum) : Math.exp(x[i] - max) / sum;
                }
            }
        }
        return y;
    }

    @Test
    void largeSoftmaxRowsAndColumnsInParallel() {
        int rows = 64, cols = 1000;
        double[] v = data(rows * cols, 10);
        Tensor x = Tensor.of(v, rows, cols).to(DType.FLOAT32);
        double[] xs = x.toDoubleArray();
        double[] byRow = x.softmax(1).toDoubleArray(), byCol = x.logSoftmax(0).toDoubleArray();
        double[] wantRow = softmaxReference(xs, new int[] {rows, cols}, 1, false);
        double[] wantCol = softmaxReference(xs, new int[] {rows, cols}, 0, true);
        for (int i = 0; i < v.length; i += 101) {
            assertClose(wantRow[i], byRow[i], 2e-5, 1e-9, "softmax dim 1 at " + i);
            assertClose(wantCol[i], byCol[i], 2e-5, 1e-5, "log_softmax dim 0 at " + i);
        }
    }
}

package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** Activations and softmax: values against scalar references, gradients against finite differences. */
class ActivationTest {
    private static final double[] X = {-6, -3.2, -1.5, -0.7, -0.1, 0.05, 0.4, 1.3, 2.7, 8};

    private static double phi(double x) {
        // Reference normal CDF through a different route than the kernel: numerical integration.
        double lo = -40, n = 200000, h = (x - lo) / n, sum = 0;
        for (int i = 0; i <= n; i++) {
            double t = lo + i * h, w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * Math.exp(-t * t / 2);
        }
        return sum * h / 3 / Math.sqrt(2 * Math.PI);
    }

    private static void assertMatches(Function<Tensor, Tensor> f, DoubleUnaryOperator ref, double tol) {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double[] y = f.apply(Tensor.of(X, X.length).to(dtype)).toDoubleArray();
            for (int i = 0; i < X.length; i++) {
                double want = ref.applyAsDouble(X[i]);
                double t = dtype == DType.FLOAT64 ? tol : 1e-6;
                assertEquals(want, y[i], t * Math.max(1, Math.abs(want)), dtype + " x=" + X[i]);
            }
        }
    }

    private static void gradcheck(Function<Tensor, Tensor> f) {
        GradCheck.check(in -> f.apply(in[0]), Tensor.of(X, 2, 5).requiresGrad(true));
    }

    @Test
    void reluAndLeakyRelu() {
        assertMatches(F::relu, v -> Math.max(v, 0), 1e-15);
        assertMatches(x -> F.leakyRelu(x, 0.2), v -> v > 0 ? v : 0.2 * v, 1e-15);
        gradcheck(F::relu);
        gradcheck(x -> F.leakyRelu(x, 0.2));
    }

    @Test
    void reluVectorPathCoversTailsAndNaN() {
        int n = 37;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (i % 3 == 0) ? -i : i;
        x[5] = Float.NaN;
        float[] y = F.relu(Tensor.of(x, n)).toFloatArray();
        for (int i = 0; i < n; i++) {
            if (i == 5) assertTrue(Float.isNaN(y[i]));
            else assertEquals(Math.max(x[i], 0), y[i]);
        }
    }

    @Test
    void sigmoidTanhSilu() {
        assertMatches(F::sigmoid, v -> 1 / (1 + Math.exp(-v)), 1e-15);
        assertMatches(F::tanh, Math::tanh, 1e-15);
        assertMatches(F::silu, v -> v / (1 + Math.exp(-v)), 1e-15);
        gradcheck(F::sigmoid);
        gradcheck(F::tanh);
        gradcheck(F::silu);
    }

    @Test
    void geluExactAndTanhApproximation() {
        assertMatches(F::gelu, v -> v * phi(v), 1e-9);
        double c = Math.sqrt(2 / Math.PI);
        assertMatches(x -> F.gelu(x, "tanh"), v -> 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v * v * v))), 1e-15);
        gradcheck(F::gelu);
        gradcheck(x -> F.gelu(x, "tanh"));
        var e = assertThrows(IllegalArgumentException.class, () -> F.gelu(Tensor.ones(2), "fast"));
        assertTrue(e.getMessage().startsWith("gelu"), e.getMessage());
    }

    @Test
    void softmaxAlongEveryDimension() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, -1, 0, 7, 2, 2, 2, 0.5, 9, -3, 4, 1, 1, 0, 2, 3, 8, -2, 1}, 2, 3, 4);
        double[] v = x.toDoubleArray();
        for (int dim = 0; dim < 3; dim++) {
            double[] s = F.softmax(x, dim).toDoubleArray();
            double[] ls = F.logSoftmax(x, dim).toDoubleArray();
            int[] shape = {2, 3, 4};
            int inner = 1;
            for (int d = dim + 1; d < 3; d++) inner *= shape[d];
            for (int i = 0; i < v.length; i++) {
                int start = i - ((i / inner) % shape[dim]) * inner;
                double sum = 0;
                for (int k = 0; k < shape[dim]; k++) sum += Math.exp(v[start + k * inner]);
                assertEquals(Math.exp(v[i]) / sum, s[i], 1e-15, "softmax dim " + dim);
                assertEquals(v[i] - Math.log(sum), ls[i], 1e-13, "log_softmax dim " + dim);
            }
            int d = dim;
            GradCheck.check(in -> F.softmax(in[0], d), x.copy().requiresGrad(true));
            GradCheck.check(in -> F.logSoftmax(in[0], d), x.copy().requiresGrad(true));
        }
    }

    @Test
    void softmaxIsStableForLargeLogits() {
        double[] s = F.softmax(Tensor.of(new float[] {1000, 1001, -1000}, 3), 0).toDoubleArray();
        assertEquals(1 / (1 + Math.E), s[0], 1e-6);
        assertEquals(0, s[2], 1e-30);
        double[] ls = F.logSoftmax(Tensor.of(new double[] {-1e4, 0}, 2), 0).toDoubleArray();
        assertEquals(-1e4, ls[0], 1e-9);
    }

    @Test
    void activationsRejectIntegerTensors() {
        var e = assertThrows(IllegalArgumentException.class, () -> F.relu(Tensor.of(new long[] {1, 2}, 2)));
        assertTrue(e.getMessage().contains("relu") && e.getMessage().contains("INT64"), e.getMessage());
    }
}

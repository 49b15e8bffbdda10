package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Optim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused optimizer kernels against scalar double references of torch.optim's single-tensor
 * updates (PyTorch 1.13), over several steps, in float32 and float64, on a small tensor (vector
 * tail) and one large enough to run in parallel.
 */
class OptimKernelTest {
    private static final Optim OPTIM = Backends.getDefault().optim();
    private static final int STEPS = 5;
    private static final int[] SIZES = {37, 5003};

    /** One optimizer configuration: the kernel on tensors and the reference on doubles, per step (from 1). */
    private interface Config {
        int states();

        void kernel(Tensor p, Tensor g, Tensor[] s, int step);

        /** Element i of a step: p, g and the states s hold that element; p and s are updated. */
        void reference(double[] p, double g, double[] s, int step);
    }

    // ------------------------------------------------------------------ references (torch.optim, 1.13)

    private static Config sgd(double lr, double momentum, double dampening, boolean nesterov, double wd) {
        return new Config() {
            public int states() { return 1; }

            public void kernel(Tensor p, Tensor g, Tensor[] s, int step) {
                OPTIM.sgd(p, g, momentum != 0 ? s[0] : null, lr, momentum, dampening, nesterov, wd, step == 1);
            }

            public void reference(double[] p, double g, double[] s, int step) {
                double d = g + wd * p[0];
                if (momentum != 0) {
                    s[0] = step == 1 ? d : momentum * s[0] + (1 - dampening) * d;
                    d = nesterov ? d + momentum * s[0] : s[0];
                }
                p[0] -= lr * d;
            }
        };
    }

    private static Config rmsprop(double lr, double alpha, double eps, double wd, double momentum, boolean centered) {
        return new Config() {
            public int states() { return 3; }

            public void kernel(Tensor p, Tensor g, Tensor[] s, int step) {
                OPTIM.rmsprop(p, g, s[0], centered ? s[1] : null, momentum > 0 ? s[2] : null,
                        lr, alpha, eps, wd, momentum);
            }

            public void reference(double[] p, double g, double[] s, int step) {
                double d = g + wd * p[0];
                s[0] = alpha * s[0] + (1 - alpha) * d * d;
                double variance = s[0];
                if (centered) {
                    s[1] = alpha * s[1] + (1 - alpha) * d;
                    variance -= s[1] * s[1];
                }
                double avg = Math.sqrt(variance) + eps;
                if (momentum > 0) {
                    s[2] = momentum * s[2] + d / avg;
                    p[0] -= lr * s[2];
                } else {
                    p[0] -= lr * d / avg;
                }
            }
        };
    }

    private static Config adagrad(double lr, double lrDecay, double wd, double eps) {
        return new Config() {
            public int states() { return 1; }

            public void kernel(Tensor p, Tensor g, Tensor[] s, int step) {
                OPTIM.adagrad(p, g, s[0], lr / (1 + (step - 1) * lrDecay), wd, eps);
            }

            public void reference(double[] p, double g, double[] s, int step) {
                double d = g + wd * p[0];
                s[0] += d * d;
                double clr = lr / (1 + (step - 1) * lrDecay);
                p[0] -= clr * d / (Math.sqrt(s[0]) + eps);
            }
        };
    }

    private static Config adam(double lr, double beta1, double beta2, double eps, double wd, boolean adamw,
                               boolean amsgrad) {
        return new Config() {
            public int states() { return 3; }

            public void kernel(Tensor p, Tensor g, Tensor[] s, int step) {
                OPTIM.adam(p, g, s[0], s[1], amsgrad ? s[2] : null, lr, beta1, beta2, eps, wd, adamw, step);
            }

            public void reference(double[] p, double g, double[] s, int step) {
                double d = g;
                if (adamw) p[0] *= 1 - lr * wd;
                else d += wd * p[0];
                s[0] = beta1 * s[0] + (1 - beta1) * d;
                s[1] = beta2 * s[1] + (1 - beta2) * d * d;
                if (amsgrad) s[2] = Math.max(s[2], s[1]);
                double v = amsgrad ? s[2] : s[1];
                double denom = Math.sqrt(v) / Math.sqrt(1 - Math.pow(beta2, step)) + eps;
                p[0] -= lr / (1 - Math.pow(beta1, step)) * s[0] / denom;
            }
        };
    }

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("sgd", sgd(0.1, 0, 0, false, 0)),
                Arguments.of("sgd weight decay", sgd(0.1, 0, 0, false, 0.05)),
                Arguments.of("sgd momentum", sgd(0.1, 0.9, 0, false, 0)),
                Arguments.of("sgd momentum dampening", sgd(0.05, 0.9, 0.1, false, 0.01)),
                Arguments.of("sgd nesterov weight decay", sgd(0.1, 0.9, 0, true, 0.01)),
                Arguments.of("rmsprop", rmsprop(0.01, 0.99, 1e-8, 0, 0, false)),
                Arguments.of("rmsprop momentum", rmsprop(0.01, 0.9, 1e-8, 0, 0.9, false)),
                Arguments.of("rmsprop centered weight decay", rmsprop(0.01, 0.99, 1e-6, 0.01, 0, true)),
                Arguments.of("rmsprop centered momentum", rmsprop(0.02, 0.95, 1e-8, 0, 0.5, true)),
                Arguments.of("adagrad", adagrad(0.1, 0, 0, 1e-10)),
                Arguments.of("adagrad lr decay weight decay", adagrad(0.1, 0.01, 0.01, 1e-10)),
                Arguments.of("adam", adam(0.01, 0.9, 0.999, 1e-8, 0, false, false)),
                Arguments.of("adam amsgrad", adam(0.01, 0.9, 0.999, 1e-8, 0, false, true)),
                Arguments.of("adam weight decay betas", adam(0.01, 0.8, 0.99, 1e-6, 0.01, false, false)),
                Arguments.of("adamw", adam(0.01, 0.9, 0.999, 1e-8, 0.01, true, false)),
                Arguments.of("adamw amsgrad", adam(0.01, 0.9, 0.999, 1e-8, 0.1, true, true)));
    }

    // ------------------------------------------------------------------ driver

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void matchesReference(String name, Config config) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : SIZES) run(name + " " + dtype + " n=" + n, config, dtype, n, false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void transposedViewsMatchReference(String name, Config config) {
        run(name + " transposed", config, DType.FLOAT64, 35, true);
        run(name + " transposed", config, DType.FLOAT32, 35, true);
    }

    /**
     * Runs STEPS steps of the kernel and the reference from the same start and compares the
     * parameter and every state after each step; the gradient must come back unchanged. When
     * transposed, param, grad and the states are [5, n/5] views of [n/5, 5] storage.
     */
    private static void run(String label, Config config, DType dtype, int n, boolean transposed) {
        Random rnd = new Random(n * 31L + label.hashCode());
        double[] p = gaussian(rnd, n);
        double[][] s = new double[config.states()][n];
        Tensor param = tensor(p, dtype, transposed);
        Tensor[] states = new Tensor[config.states()];
        for (int k = 0; k < states.length; k++) states[k] = tensor(new double[n], dtype, transposed);
        double[] elem = new double[1];
        double[] state = new double[config.states()];
        for (int step = 1; step <= STEPS; step++) {
            double[] g = gaussian(rnd, n);
            if (dtype == DType.FLOAT32) roundToFloat(g);
            Tensor grad = tensor(g, dtype, transposed);
            config.kernel(param, grad, states, step);
            assertArrayEquals(g, grad.toDoubleArray(), label + ": the gradient was modified");
            for (int i = 0; i < n; i++) {
                elem[0] = p[i];
                for (int k = 0; k < state.length; k++) state[k] = s[k][i];
                config.reference(elem, g[i], state, step);
                p[i] = elem[0];
                for (int k = 0; k < state.length; k++) s[k][i] = state[k];
            }
            assertClose(label + " step " + step + " param", p, param.toDoubleArray(), dtype);
            for (int k = 0; k < states.length; k++) {
                assertClose(label + " step " + step + " state " + k, s[k], states[k].toDoubleArray(), dtype);
            }
        }
    }

    private static void assertClose(String what, double[] expected, double[] actual, DType dtype) {
        double rtol = dtype == DType.FLOAT64 ? 1e-12 : 2e-5, atol = dtype == DType.FLOAT64 ? 1e-14 : 1e-6;
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > atol + rtol * Math.abs(expected[i])) {
                fail(what + " [" + i + "]: expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    /** The values in row-major order of the result; transposed stores them as a transpose view. */
    private static Tensor tensor(double[] values, DType dtype, boolean transposed) {
        int n = values.length;
        if (!transposed) return Tensor.of(values, n).to(dtype);
        int rows = 5, cols = n / rows;
        double[] storage = new double[n];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) storage[c * rows + r] = values[r * cols + c];
        Tensor t = Tensor.of(storage, cols, rows).to(dtype).transpose(0, 1);
        assertFalse(t.isContiguous());
        return t;
    }

    private static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian();
        return v;
    }

    private static void roundToFloat(double[] v) {
        for (int i = 0; i < v.length; i++) v[i] = (float) v[i];
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void shapeMismatchNamesOpAndShapes() {
        Tensor p = Tensor.zeros(DType.FLOAT64, 2, 3), g = Tensor.zeros(DType.FLOAT64, 3, 2);
        Tensor m = Tensor.zeros(DType.FLOAT64, 2, 3), v = Tensor.zeros(DType.FLOAT64, 2, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> OPTIM.adam(p, g, m, v, null, 0.1, 0.9, 0.999, 1e-8, 0, true, 1));
        assertTrue(e.getMessage().startsWith("adamw:") && e.getMessage().contains("[3, 2]")
                && e.getMessage().contains("[2, 3]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> OPTIM.adagrad(p, Tensor.zeros(DType.FLOAT64, 2, 3), Tensor.zeros(DType.FLOAT64, 6),
                        0.1, 0, 1e-10));
        assertTrue(e2.getMessage().startsWith("adagrad:") && e2.getMessage().contains("stateSum"), e2.getMessage());
    }

    @Test
    void dtypeMismatchNamesOp() {
        Tensor p = Tensor.zeros(DType.FLOAT32, 4), g = Tensor.zeros(DType.FLOAT64, 4);
        var e = assertThrows(IllegalArgumentException.class,
                () -> OPTIM.sgd(p, g, null, 0.1, 0, 0, false, 0, true));
        assertTrue(e.getMessage().startsWith("sgd:") && e.getMessage().contains("FLOAT64"), e.getMessage());
        Tensor ip = Tensor.of(new int[] {1, 2}, 2), ig = Tensor.of(new int[] {1, 2}, 2);
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> OPTIM.sgd(ip, ig, null, 0.1, 0, 0, false, 0, true));
        assertTrue(e2.getMessage().startsWith("sgd:") && e2.getMessage().contains("param"), e2.getMessage());
    }

    @Test
    void missingStateNamesOpAndState() {
        Tensor p = Tensor.zeros(DType.FLOAT64, 4), g = Tensor.ones(DType.FLOAT64, 4);
        var e = assertThrows(IllegalArgumentException.class,
                () -> OPTIM.sgd(p, g, null, 0.1, 0.9, 0, false, 0, true));
        assertTrue(e.getMessage().startsWith("sgd:") && e.getMessage().contains("momentumBuf"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> OPTIM.rmsprop(p, g, Tensor.zeros(DType.FLOAT64, 4), null, null, 0.01, 0.99, 1e-8, 0, 0.9));
        assertTrue(e2.getMessage().startsWith("rmsprop:") && e2.getMessage().contains("momentumBuf"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> OPTIM.adam(p, g, Tensor.zeros(DType.FLOAT64, 4), null, null, 0.1, 0.9, 0.999, 1e-8, 0, false, 1));
        assertTrue(e3.getMessage().startsWith("adam:") && e3.getMessage().contains("expAvgSq"), e3.getMessage());
        assertArrayEquals(new double[4], p.toDoubleArray(), "a rejected step must not touch the parameter");
    }

    @Test
    void adamStepCountsFromOne() {
        Tensor p = Tensor.zeros(DType.FLOAT64, 2), g = Tensor.ones(DType.FLOAT64, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> OPTIM.adam(p, g, Tensor.zeros(DType.FLOAT64, 2),
                Tensor.zeros(DType.FLOAT64, 2), null, 0.1, 0.9, 0.999, 1e-8, 0, false, 0));
        assertTrue(e.getMessage().startsWith("adam:") && e.getMessage().contains("step"), e.getMessage());
    }

    @Test
    void broadcastParameterIsRejected() {
        Tensor p = Tensor.zeros(DType.FLOAT64, 1, 3).expand(4, 3), g = Tensor.ones(DType.FLOAT64, 4, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> OPTIM.sgd(p, g, null, 0.1, 0, 0, false, 0, true));
        assertTrue(e.getMessage().startsWith("sgd:") && e.getMessage().contains("[4, 3]"), e.getMessage());
        assertArrayEquals(new double[12], p.toDoubleArray());
    }

    @Test
    void emptyParameterIsANoOp() {
        Tensor p = Tensor.zeros(DType.FLOAT32, 0), g = Tensor.zeros(DType.FLOAT32, 0);
        OPTIM.adagrad(p, g, Tensor.zeros(DType.FLOAT32, 0), 0.1, 0, 1e-10);
        assertEquals(0, p.numel());
        assertEquals(0, Arrays.stream(p.toDoubleArray()).count());
    }
}

package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Optim;
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

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused optimizer kernels on each backend against scalar double references of torch.optim's
 * single-tensor updates (PyTorch 1.13), over several steps, in float32 and float64, on a small tensor
 * (vector tail) and one large enough to run in parallel; and bit for bit against the CPU's kernels.
 */
class OptimTest {
    private static final int STEPS = 5;
    private static final int[] SIZES = {37, 5003};

    /** One optimizer configuration: the kernel on tensors and the reference on doubles, per step (from 1). */
    private interface Config {
        int states();

        void kernel(Tensor p, Tensor g, Tensor[] s, int step);

        /** Element i of a step: p, g and the states s hold that element; p and s are updated. */
        void reference(double[] p, double g, double[] s, int step);
    }

    /** The backend under test's kernels (the default backend while a test runs). */
    private static Optim optim() {
        return Backends.getDefault().optim();
    }

    // ------------------------------------------------------------------ references (torch.optim, 1.13)

    private static Config sgd(double lr, double momentum, double dampening, boolean nesterov, double wd) {
        return new Config() {
            public int states() { return 1; }

            public void kernel(Tensor p, Tensor g, Tensor[] s, int step) {
                optim().sgd(p, g, momentum != 0 ? s[0] : null, lr, momentum, dampening, nesterov, wd, step == 1);
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
                optim().rmsprop(p, g, s[0], centered ? s[1] : null, momentum > 0 ? s[2] : null,
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
                optim().adagrad(p, g, s[0], lr / (1 + (step - 1) * lrDecay), wd, eps);
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
                optim().adam(p, g, s[0], s[1], amsgrad ? s[2] : null, lr, beta1, beta2, eps, wd, adamw, step);
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
        return BackendUnderTest.allTimes(List.of(
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
                Arguments.of("adamw amsgrad", adam(0.01, 0.9, 0.999, 1e-8, 0.1, true, true))));
    }

    // ------------------------------------------------------------------ driver

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("configs")
    @ExtendWith(BackendInvocation.class)
    void matchesReference(BackendUnderTest on, String name, Config config) {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : SIZES) run(name + " " + dtype + " n=" + n, config, dtype, n, false);
        }
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("configs")
    @ExtendWith(BackendInvocation.class)
    void transposedViewsMatchReference(BackendUnderTest on, String name, Config config) {
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

    @OnEachBackend
    void shapeMismatchNamesOpAndShapes(BackendUnderTest on) {
        Tensor p = Tensor.zeros(DType.FLOAT64, 2, 3), g = Tensor.zeros(DType.FLOAT64, 3, 2);
        Tensor m = Tensor.zeros(DType.FLOAT64, 2, 3), v = Tensor.zeros(DType.FLOAT64, 2, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> optim().adam(p, g, m, v, null, 0.1, 0.9, 0.999, 1e-8, 0, true, 1));
        assertTrue(e.getMessage().startsWith("adamw:") && e.getMessage().contains("[3, 2]")
                && e.getMessage().contains("[2, 3]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> optim().adagrad(p, Tensor.zeros(DType.FLOAT64, 2, 3), Tensor.zeros(DType.FLOAT64, 6),
                        0.1, 0, 1e-10));
        assertTrue(e2.getMessage().startsWith("adagrad:") && e2.getMessage().contains("stateSum"), e2.getMessage());
    }

    @OnEachBackend
    void dtypeMismatchNamesOp(BackendUnderTest on) {
        Tensor p = Tensor.zeros(DType.FLOAT32, 4), g = Tensor.zeros(DType.FLOAT64, 4);
        var e = assertThrows(IllegalArgumentException.class,
                () -> optim().sgd(p, g, null, 0.1, 0, 0, false, 0, true));
        assertTrue(e.getMessage().startsWith("sgd:") && e.getMessage().contains("FLOAT64"), e.getMessage());
        Tensor ip = Tensor.of(new int[] {1, 2}, 2), ig = Tensor.of(new int[] {1, 2}, 2);
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> optim().sgd(ip, ig, null, 0.1, 0, 0, false, 0, true));
        assertTrue(e2.getMessage().startsWith("sgd:") && e2.getMessage().contains("param"), e2.getMessage());
    }

    @OnEachBackend
    void missingStateNamesOpAndState(BackendUnderTest on) {
        Tensor p = Tensor.zeros(DType.FLOAT64, 4), g = Tensor.ones(DType.FLOAT64, 4);
        var e = assertThrows(IllegalArgumentException.class,
                () -> optim().sgd(p, g, null, 0.1, 0.9, 0, false, 0, true));
        assertTrue(e.getMessage().startsWith("sgd:") && e.getMessage().contains("momentumBuf"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> optim().rmsprop(p, g, Tensor.zeros(DType.FLOAT64, 4), null, null, 0.01, 0.99, 1e-8, 0, 0.9));
        assertTrue(e2.getMessage().startsWith("rmsprop:") && e2.getMessage().contains("momentumBuf"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> optim().adam(p, g, Tensor.zeros(DType.FLOAT64, 4), null, null, 0.1, 0.9, 0.999, 1e-8, 0,
                        false, 1));
        assertTrue(e3.getMessage().startsWith("adam:") && e3.getMessage().contains("expAvgSq"), e3.getMessage());
        assertArrayEquals(new double[4], p.toDoubleArray(), "a rejected step must not touch the parameter");
    }

    @OnEachBackend
    void adamStepCountsFromOne(BackendUnderTest on) {
        Tensor p = Tensor.zeros(DType.FLOAT64, 2), g = Tensor.ones(DType.FLOAT64, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> optim().adam(p, g, Tensor.zeros(DType.FLOAT64, 2),
                Tensor.zeros(DType.FLOAT64, 2), null, 0.1, 0.9, 0.999, 1e-8, 0, false, 0));
        assertTrue(e.getMessage().startsWith("adam:") && e.getMessage().contains("step"), e.getMessage());
    }

    @OnEachBackend
    void broadcastParameterIsRejected(BackendUnderTest on) {
        Tensor p = Tensor.zeros(DType.FLOAT64, 1, 3).expand(4, 3), g = Tensor.ones(DType.FLOAT64, 4, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> optim().sgd(p, g, null, 0.1, 0, 0, false, 0, true));
        assertTrue(e.getMessage().startsWith("sgd:") && e.getMessage().contains("[4, 3]"), e.getMessage());
        assertArrayEquals(new double[12], p.toDoubleArray());
    }

    @OnEachBackend
    void emptyParameterIsANoOp(BackendUnderTest on) {
        Tensor p = Tensor.zeros(DType.FLOAT32, 0), g = Tensor.zeros(DType.FLOAT32, 0);
        optim().adagrad(p, g, Tensor.zeros(DType.FLOAT32, 0), 0.1, 0, 1e-10);
        assertEquals(0, p.numel());
        assertEquals(0, Arrays.stream(p.toDoubleArray()).count());
    }

    // ------------------------------------------------------------------ the kernels against the CPU's

    /** The parity tests' parameter shape. */
    private static final int[] SHAPE = {37, 29};

    private interface Step {
        void run(Optim o, boolean tested, Pair[] s, int step);
    }

    /** The parameter and the optimizer's state tensors (non-negative, as squared averages are). */
    private static Pair[] states(DType dt, int count) {
        Pair[] s = new Pair[count];
        s[0] = Parity.uniform(1, dt, -1, 1, SHAPE);
        for (int i = 1; i < count; i++) s[i] = Parity.uniform(10 + i, dt, 0, 0.1, SHAPE);
        return s;
    }

    /** Four steps on the CPU and the backend under test; every tensor but the gradient is compared after each. */
    private void check(String what, DType dt, int states, Step step) {
        Pair[] s = states(dt, states);
        for (int k = 1; k <= 4; k++) {
            Pair grad = Parity.uniform(100 + k, dt, -1, 1, SHAPE);
            Pair[] withGrad = new Pair[states + 1];
            withGrad[0] = s[0];
            withGrad[1] = grad;
            System.arraycopy(s, 1, withGrad, 2, states - 1);
            step.run(Parity.cpu().optim(), false, withGrad, k);
            step.run(Parity.tested().optim(), true, withGrad, k);
            for (int i = 0; i < states; i++) Parity.assertExact(what + " " + dt + " step " + k + " tensor " + i, s[i]);
        }
    }

    private static Tensor t(Pair p, boolean tested) {
        return p == null ? null : tested ? p.tested() : p.cpu();
    }

    @ParityWithCpu
    void sgdWithMomentumDampeningNesterovAndWeightDecay(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            check("sgd", dt, 2, (o, c, s, k) -> o.sgd(t(s[0], c), t(s[1], c), t(s[2], c),
                    0.05, 0.9, 0.1, true, 1e-3, k == 1));
            check("sgd plain", dt, 1, (o, c, s, k) -> o.sgd(t(s[0], c), t(s[1], c), null,
                    0.05, 0, 0, false, 0, k == 1));
        }
    }

    @ParityWithCpu
    void rmspropCenteredWithMomentum(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            check("rmsprop", dt, 4, (o, c, s, k) -> o.rmsprop(t(s[0], c), t(s[1], c), t(s[2], c), t(s[3], c),
                    t(s[4], c), 0.01, 0.99, 1e-8, 1e-2, 0.9));
            check("rmsprop plain", dt, 2, (o, c, s, k) -> o.rmsprop(t(s[0], c), t(s[1], c), t(s[2], c), null, null,
                    0.01, 0.9, 1e-6, 0, 0));
        }
    }

    @ParityWithCpu
    void adagrad(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            check("adagrad", dt, 2, (o, c, s, k) -> o.adagrad(t(s[0], c), t(s[1], c), t(s[2], c),
                    0.1 / (1 + (k - 1) * 0.01), 1e-2, 1e-10));
        }
    }

    @ParityWithCpu
    void adamAdamwAndAmsgrad(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            check("adam amsgrad", dt, 4, (o, c, s, k) -> o.adam(t(s[0], c), t(s[1], c), t(s[2], c), t(s[3], c),
                    t(s[4], c), 1e-3, 0.9, 0.999, 1e-8, 1e-2, false, k));
            check("adamw", dt, 3, (o, c, s, k) -> o.adam(t(s[0], c), t(s[1], c), t(s[2], c), t(s[3], c), null,
                    1e-3, 0.9, 0.999, 1e-8, 1e-2, true, k));
        }
    }

    @ParityWithCpu
    void aTransposedParameterIsUpdatedInPlace(BackendUnderTest on) {
        DType dt = DType.FLOAT32;
        Pair base = Parity.uniform(1, dt, -1, 1, 29, 37), p = base.map(v -> v.t()),
                g = Parity.uniform(2, dt, -1, 1, SHAPE);
        Parity.cpu().optim().sgd(p.cpu(), g.cpu(), null, 0.1, 0, 0, false, 0, true);
        on.backend().optim().sgd(p.tested(), g.tested(), null, 0.1, 0, 0, false, 0, true);
        Parity.assertExact("sgd on a transposed param", base);
    }
}

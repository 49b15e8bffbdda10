package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.nn.functional.F;
import dev.myelin.ops.ActivationOps;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import dev.myelin.testing.Parity;
import dev.myelin.testing.Parity.Pair;
import dev.myelin.testing.ParityWithCpu;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Activations and softmax on each backend: forward and backward against naive references, PyTorch
 * values and gradchecks; every kernel (alone, after a bias, softmax along every dim) against the CPU's.
 */
class ActivationTest {
    /** One per test instance (one per backend and test), so that every backend sees the same data. */
    private final Random random = new Random(7);

    /**
     * The positive-term series erf(x) = 2/sqrt(pi) e^(-x^2) sum 2^k x^(2k+1) / (2k+1)!!: independent of the
     * kernel's fit.
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
            case ELU -> x > 0 ? x : slope * (Math.exp(x) - 1);
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
            case ELU -> x > 0 ? 1 : slope * Math.exp(x);
        };
    }

    private static Tensor activate(Kind kind, double slope, Tensor x) {
        return ActivationOps.activation(kind, slope, x);
    }

    private double[] data(int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = scale * (2 * random.nextDouble() - 1);
        return v;
    }

    private static void assertClose(double want, double got, double rtol, double atol, String what) {
        assertEquals(want, got, atol + rtol * Math.abs(want), what);
    }

    // ------------------------------------------------------------------ erf and PyTorch's GELU values

    @OnEachBackend
    void geluMatchesPyTorchInFloat64(BackendUnderTest on) {
        checkGolden("none", GELU_ERF_X, GELU_ERF_G, GELU_ERF_Y, GELU_ERF_GX);
        checkGolden("tanh", GELU_TANH_X, GELU_TANH_G, GELU_TANH_Y, GELU_TANH_GX);
    }

    /** The golden file's tolerance: |actual - expected| <= 1e-9 + 1e-7 |expected|. */
    private static void checkGolden(String approximate, double[] x, double[] g, double[] y, double[] gx) {
        Tensor in = Tensor.of(x.clone(), 4, 5).requiresGrad(true);
        Tensor out = F.gelu(in, approximate);
        out.backward(Tensor.of(g.clone(), 4, 5));
        double[] gotY = out.toDoubleArray(), gotGx = in.grad().toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertClose(y[i], gotY[i], 1e-7, 1e-9, "gelu " + approximate + " y at " + i);
            assertClose(gx[i], gotGx[i], 1e-7, 1e-9, "gelu " + approximate + " grad at " + i);
        }
    }

    // ------------------------------------------------------------------ activations

    @OnEachBackend
    void forwardAndBackwardMatchReferenceInBothFloatTypes(BackendUnderTest on) {
        double slope = 0.03;
        // 3 x 37: vector body plus a tail on every SIMD width.
        double[] v = data(3 * 37, 6);
        v[5] = 0;
        double[] g = data(3 * 37, 2);
        for (Kind kind : Kind.values()) {
            for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                Tensor x = Tensor.of(v, 3, 37).to(dtype).requiresGrad(true);
                Tensor y = activate(kind, slope, x);
                y.backward(Tensor.of(g, 3, 37).to(dtype));
                double[] xs = x.toDoubleArray(), gs = Tensor.of(g, 3, 37).to(dtype).toDoubleArray();
                double[] ys = y.toDoubleArray(), gx = x.grad().toDoubleArray();
                // GELU's 1 + erf(x / sqrt 2) cancels for negative x (in PyTorch too): an absolute error of a
                // few ulps of 1. Sigmoid and tanh differentiate from y, as PyTorch: 1 - y loses float32
                // digits near y = 1.
                double rtol = dtype == DType.FLOAT64 ? 1e-14 : 2e-6, atol = dtype == DType.FLOAT64 ? 1e-14 : 1e-7;
                double gradAtol = dtype == DType.FLOAT64 ? 1e-14 : 1e-6;
                for (int i = 0; i < v.length; i++) {
                    String what = kind + " " + dtype + " at x=" + xs[i];
                    assertClose(reference(kind, slope, xs[i]), ys[i], rtol, atol, what);
                    assertClose(gs[i] * derivative(kind, slope, xs[i]), gx[i], rtol, gradAtol, what + " (grad)");
                }
                assertEquals(dtype, y.dtype());
            }
        }
    }

    @OnEachBackend
    void edgeValues(BackendUnderTest on) {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = Tensor.of(new double[] {nan, -inf, inf, -100, 100, -0.0}, 6).to(dtype);
            assertArrayEquals(new double[] {nan, 0, inf, 0, 100, 0}, x.relu().toDoubleArray(), "relu " + dtype);
            assertArrayEquals(new double[] {nan, 0, 1, Math.exp(-100) / (1 + Math.exp(-100)), 1, 0.5},
                    x.sigmoid().toDoubleArray(), dtype == DType.FLOAT32 ? 1e-43 : 1e-50, "sigmoid " + dtype);
            assertArrayEquals(new double[] {nan, -1, 1, -1, 1, -0.0}, x.tanh().toDoubleArray(), "tanh " + dtype);
            double[] gelu = F.gelu(x).toDoubleArray();
            assertArrayEquals(new double[] {inf, 100, -0.0}, new double[] {gelu[2], gelu[4], gelu[5]}, "gelu " + dtype);
            assertEquals(0.0, Math.abs(gelu[3]), "gelu(-100) " + dtype);
            assertTrue(Double.isNaN(gelu[0]));
            double[] leaky = F.leakyRelu(x, 0.1).toDoubleArray();
            assertEquals(-10, leaky[3], 1e-5);
            assertEquals(-inf, leaky[1]);
        }
    }

    @OnEachBackend
    void gradcheckEveryActivation(BackendUnderTest on) {
        // Away from the kinks of relu and leaky relu.
        double[] v = {-1.7, -0.6, -0.15, 0.2, 0.7, 1.3, 2.1, -2.9};
        for (Kind kind : Kind.values()) {
            Tensor x = Tensor.of(v.clone(), 2, 4).requiresGrad(true);
            GradCheck.check(in -> activate(kind, 0.2, in[0]), x);
            // Through a non-contiguous view, which the op makes contiguous first.
            GradCheck.check(in -> activate(kind, 0.2, in[0].t()), x);
        }
    }

    @OnEachBackend
    void integerInputAndBadGeluModeAreRejected(BackendUnderTest on) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {1}, 1).relu());
        assertTrue(e.getMessage().startsWith("relu:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.gelu(Tensor.zeros(2), "fast"));
        assertTrue(e.getMessage().startsWith("gelu:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new int[] {1, 2}, 2).softmax(0));
        assertTrue(e.getMessage().startsWith("softmax:"), e.getMessage());
    }

    @OnEachBackend
    void kernelsRefuseStridedOrIntegerTensors(BackendUnderTest on) {
        Tensor x = Tensor.ones(3, 4).t(), y = Tensor.zeros(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> y.backend().activations().forward(Kind.SILU, 0, x, y));
        assertTrue(e.getMessage().startsWith("silu:") && e.getMessage().contains("[4, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> y.backend().activations().softmax(x, 0, true, y));
        assertTrue(e.getMessage().startsWith("log_softmax:"), e.getMessage());
        Tensor ints = Tensor.zeros(DType.INT64, 2);
        e = assertThrows(IllegalArgumentException.class,
                () -> y.backend().activations().forward(Kind.RELU, 0, ints, ints));
        assertTrue(e.getMessage().startsWith("relu:") && e.getMessage().contains("INT64"), e.getMessage());
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

    /** Naive backward: softmax gx = y (g - sum g y); log-softmax gx = g - softmax * sum g. */
    private static double[] softmaxBackwardReference(double[] x, double[] g, int[] shape, int dim, boolean log) {
        double[] p = softmaxReference(x, shape, dim, false);
        int outer = 1, inner = 1, n = shape[dim];
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        double[] gx = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < inner; c++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    int i = (o * n + k) * inner + c;
                    dot += log ? g[i] : g[i] * p[i];
                }
                for (int k = 0; k < n; k++) {
                    int i = (o * n + k) * inner + c;
                    gx[i] = log ? g[i] - p[i] * dot : p[i] * (g[i] - dot);
                }
            }
        }
        return gx;
    }

    @OnEachBackend
    void softmaxAndLogSoftmaxMatchReferenceAlongEveryDim(BackendUnderTest on) {
        int[] shape = {3, 5, 37};
        double[] v = data(3 * 5 * 37, 8), g = data(v.length, 1);
        for (boolean log : new boolean[] {false, true}) {
            for (int dim = -1; dim < 3; dim++) {
                int d = dim < 0 ? dim + 3 : dim;
                for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    Tensor x = Tensor.of(v, shape).to(dtype).requiresGrad(true);
                    Tensor y = log ? x.logSoftmax(dim) : x.softmax(dim);
                    y.backward(Tensor.of(g, shape).to(dtype));
                    double[] xs = x.toDoubleArray(), gs = Tensor.of(g, shape).to(dtype).toDoubleArray();
                    double[] want = softmaxReference(xs, shape, d, log), got = y.toDoubleArray();
                    double[] wantG = softmaxBackwardReference(xs, gs, shape, d, log), gotG = x.grad().toDoubleArray();
                    double rtol = dtype == DType.FLOAT64 ? 1e-13 : 2e-5, atol = dtype == DType.FLOAT64 ? 1e-15 : 1e-6;
                    String what = (log ? "log_softmax" : "softmax") + " dim " + dim + " " + dtype;
                    for (int i = 0; i < v.length; i++) {
                        assertClose(want[i], got[i], rtol, atol, what + " at " + i);
                        assertClose(wantG[i], gotG[i], rtol, atol, what + " grad at " + i);
                    }
                }
            }
        }
    }

    @OnEachBackend
    void softmaxIsStableForLargeAndInfiniteLogits(BackendUnderTest on) {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = Tensor.of(new double[] {1000, 1001, Double.NEGATIVE_INFINITY, 999}, 4).to(dtype);
            double e1 = Math.exp(-1), e2 = Math.exp(-2), s = 1 + e1 + e2;
            assertArrayEquals(new double[] {e1 / s, 1 / s, 0, e2 / s}, x.softmax(0).toDoubleArray(), 1e-6);
            double[] logp = x.logSoftmax(0).toDoubleArray();
            assertEquals(-Math.log(s), logp[1], 1e-5);
            assertEquals(Double.NEGATIVE_INFINITY, logp[2]);
            Tensor nanRow = Tensor.of(new double[] {1, Double.NaN, 2, 3, 4, 5}, 2, 3).to(dtype);
            double[] p = nanRow.softmax(1).toDoubleArray();
            for (int i = 0; i < 3; i++) assertTrue(Double.isNaN(p[i]), "a NaN poisons its own row");
            assertEquals(1, p[3] + p[4] + p[5], 1e-6, "and only its row");
        }
    }

    @OnEachBackend
    void softmaxOfScalarAndEmptyTensors(BackendUnderTest on) {
        assertEquals(1.0, Tensor.scalar(3.5, DType.FLOAT64).softmax(0).item());
        assertEquals(0.0, Tensor.scalar(3.5, DType.FLOAT64).logSoftmax(-1).item());
        assertArrayEquals(new int[] {0, 4}, Tensor.zeros(0, 4).softmax(0).shape());
        assertArrayEquals(new int[] {4, 0}, Tensor.zeros(4, 0).logSoftmax(1).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).softmax(2));
        assertTrue(e.getMessage().startsWith("softmax:"), e.getMessage());
    }

    @OnEachBackend
    void gradcheckSoftmaxAndLogSoftmaxAlongSeveralDims(BackendUnderTest on) {
        double[] v = data(2 * 3 * 4, 2);
        for (int dim : new int[] {0, 1, 2, -1}) {
            Tensor x = Tensor.of(v.clone(), 2, 3, 4).requiresGrad(true);
            GradCheck.check(in -> in[0].softmax(dim), x);
            GradCheck.check(in -> in[0].logSoftmax(dim), x);
            GradCheck.check(in -> in[0].transpose(0, 2).logSoftmax(dim).exp(), x);
        }
    }

    // ------------------------------------------------------------------ the kernels against the CPU's

    @ParityWithCpu
    void activationsForwardAndBackwardKernelsMatchTheCpu(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 7, 1000, (1 << 18) + 3}) {
                for (Kind k : Kind.values()) {
                    Pair x = Parity.uniform(n + k.ordinal(), dt, -6, 6, n), g = Parity.uniform(n + 99, dt, -1, 1, n);
                    Pair y = Parity.poisoned(dt, n), gx = Parity.poisoned(dt, n);
                    Parity.cpu().activations().forward(k, 0.01, x.cpu(), y.cpu());
                    on.backend().activations().forward(k, 0.01, x.tested(), y.tested());
                    Parity.assertClose(k + " forward " + dt + " n=" + n, y);
                    Pair yIn = Parity.copyOf(y);
                    Parity.cpu().activations().backward(k, 0.01, x.cpu(), yIn.cpu(), g.cpu(), gx.cpu());
                    on.backend().activations().backward(k, 0.01, x.tested(), yIn.tested(), g.tested(), gx.tested());
                    Parity.assertClose(k + " backward " + dt + " n=" + n, gx);
                }
            }
        }
    }

    @ParityWithCpu
    void biasActivationForwardAndBackwardKernelsMatchTheCpu(BackendUnderTest on) {
        int[][] shapes = {{1, 1}, {5, 7}, {64, 1000}, {3, 4099}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : shapes) {
                for (Kind k : Kind.values()) {
                    String what = "bias " + k + " " + dt + " " + java.util.Arrays.toString(shape);
                    Pair x = Parity.uniform(shape[1] + k.ordinal(), dt, -5, 5, shape);
                    Pair bias = Parity.uniform(7, dt, -1, 1, shape[1]), g = Parity.uniform(11, dt, -1, 1, shape);
                    Pair y = Parity.poisoned(dt, shape), gx = Parity.poisoned(dt, shape);
                    Parity.cpu().activations().biasForward(k, 0.01, x.cpu(), bias.cpu(), y.cpu());
                    on.backend().activations().biasForward(k, 0.01, x.tested(), bias.tested(), y.tested());
                    Parity.assertClose(what + " forward", y);
                    Pair yIn = Parity.copyOf(y);
                    Parity.cpu().activations().biasBackward(k, 0.01, x.cpu(), bias.cpu(), yIn.cpu(), g.cpu(), gx.cpu());
                    on.backend().activations().biasBackward(k, 0.01, x.tested(), bias.tested(), yIn.tested(),
                            g.tested(), gx.tested());
                    Parity.assertClose(what + " backward", gx);
                }
            }
        }
    }

    @ParityWithCpu
    void softmaxAndLogSoftmaxAlongEveryDimKernelsMatchTheCpu(BackendUnderTest on) {
        int[][] shapes = {{1}, {5, 3}, {3, 1500}, {4, 7, 33}, {2, 2000, 3}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : shapes) {
                for (int dim = 0; dim < shape.length; dim++) {
                    for (boolean log : new boolean[] {false, true}) {
                        String what = (log ? "log_softmax " : "softmax ") + dt + " " + java.util.Arrays.toString(shape)
                                + " dim " + dim;
                        Pair x = Parity.uniform(dim * 7 + shape.length, dt, -10, 10, shape),
                                y = Parity.poisoned(dt, shape);
                        Parity.cpu().activations().softmax(x.cpu(), dim, log, y.cpu());
                        on.backend().activations().softmax(x.tested(), dim, log, y.tested());
                        Parity.assertClose(what, y);
                        Pair yIn = Parity.copyOf(y), g = Parity.uniform(3, dt, -1, 1, shape),
                                gx = Parity.poisoned(dt, shape);
                        Parity.cpu().activations().softmaxBackward(yIn.cpu(), g.cpu(), dim, log, gx.cpu());
                        on.backend().activations().softmaxBackward(yIn.tested(), g.tested(), dim, log, gx.tested());
                        Parity.assertClose(what + " backward", gx);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ PyTorch 1.13 golden values (float64)

    private static final double[] GELU_ERF_X = {
            -0.7030425466888766, 0.9859595632395727, 1.281327493207237, -0.5857476722333997,
            2.3233492539952665, -0.45933021021407855, 2.7940287876597254, -0.6185554666834456,
            0.6069972287380544, -2.560730340939254, -0.5261894974198312, 1.1446662038662188,
            0.37017954250379986, 2.9001534666202127, 2.1280755091052135, 2.8162513765796056,
            -0.12247150428668156, -1.521341335163959, 0.8086203745143998, 1.380016226788192
    };

    private static final double[] GELU_ERF_G = {
            -0.17993205449144645, -1.479727790667856, -0.9850052593036851, 0.754534637702707,
            -1.682577400695046, -0.46420611273971496, 1.9052655823312041, -0.8792471511831412,
            0.5903261582150438, 1.1994465914706522, 1.024257915604064, 0.5980859564792533, 0.20439334527167527,
            -0.24214846041886984, 0.684503801862521, -0.8816641139376451, 2.6898435235686358,
            -0.3825121563164555, -0.7636510367174115, -2.258760120056303
    };

    private static final double[] GELU_ERF_Y = {
            -0.16944353047265845, 0.8261587096677316, 1.1531443493174105, -0.16343680709044672,
            2.2999294313314644, -0.1483629819113618, 2.786756511270865, -0.16583758051201658,
            0.4419386723094006, -0.013373720944524735, -0.15752970418691858, 1.0002394014211407,
            0.238534679925471, 2.894744970453355, 2.0926102544881298, 2.809409627120154, -0.055266834701924304,
            -0.0974983560872334, 0.6393221378955934, 1.2643835295199286
    };

    private static final double[] GELU_ERF_GX = {
            -0.003950386641471277, -1.5978786166117973, -1.1080285602319053, 0.062008213522447404,
            -1.7705345125129988, -0.0733903430759756, 1.9431530859318786, -0.05653897959416292,
            0.5487009039667203, -0.03990433157845478, 0.11942634345195965, 0.6644744272403623,
            0.15989205841503829, -0.24587528891272262, 0.7334740367558868, -0.8982994162938958,
            1.0833850468045692, 0.0484651124512089, -0.7814175104865092, -2.549362150309064
    };

    private static final double[] GELU_TANH_X = {
            1.8338154331431202, 1.8119243864070806, -2.590754991236952, -0.9482579514433227,
            3.2432513183079545, 1.4136821094734384, 0.07387494071116997, 0.8436975268231577,
            2.7876723121270364, 2.401517519156829, -0.2074622104855915, 1.255287056348664,
            -0.24500365457068596, -0.03919388459170844, 1.6614610252184558, -0.6978905337182109,
            -0.3378520858667914, 2.407906678697156, 1.236220641785191, 1.5998083887264722
    };

    private static final double[] GELU_TANH_G = {
            0.906527578013256, -0.04652798918205329, -0.534549969149255, 0.20943795109854685,
            0.5759723495479386, -2.0367555649205076, 0.29007951353828837, -1.009254713427189,
            -0.3944351101119381, -0.3828143986682663, -0.030454561305256363, -0.44202172413922597,
            1.3965974232250273, -0.15573277017014162, -0.6214000825400195, -0.35598421469934355,
            0.4296375187566831, 0.6706828670011468, 0.7138401530252687, -1.147707950432609
    };

    private static final double[] GELU_TANH_Y = {
            1.7726343507834976, 1.7484519028939625, -0.011941697353318433, -0.1627597934321283,
            3.2416447406507216, 1.3021546449054848, 0.03911271207001268, 0.6753498756015369, 2.780739897572813,
            2.3823104710954848, -0.08668337589015519, 1.1236500058078593, -0.09879317703786536,
            -0.01898426053017806, 1.5810404856672358, -0.16937894281201235, -0.12424478148209218,
            2.3889913385751314, 1.1022549240059818, 1.5119217623179084
    };

    private static final double[] GELU_TANH_GX = {
            1.0004294595707024, -0.05144850870398954, 0.016805067100231972, -0.014547139668274365,
            0.5792454829231087, -2.2994731851565455, 0.162106889516921, -1.0456263423355723,
            -0.40234422132501446, -0.4003969928835258, -0.010258081368746712, -0.4963524432351963,
            0.43070038378570974, -0.07299878468342848, -0.6953086807186462, -0.008770651975346868,
            0.10331741954971188, 0.7011212847168065, 0.8004440962911149, -1.2890046456445525
    };

}

package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.backend.Reductions.Op;
import dev.myelin.ops.ReductionOps;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import dev.myelin.testing.Parity;
import dev.myelin.testing.Parity.Pair;
import dev.myelin.testing.ParityWithCpu;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reductions on each backend: against a naive reference over dims, keepDim and dtypes; accuracy, NaN,
 * errors, gradients; every op and kernel plan against the CPU's.
 */
class ReductionTest {
    /** One per test instance (one per backend and test), so that every backend sees the same data. */
    private final Random random = new Random(3);
    private static final int[] SHAPE = {4, 37, 5};
    private static final int[][] DIMS = {null, {0}, {1}, {2}, {-1}, {0, 1}, {1, 2}, {0, 2}, {2, 0}, {0, 1, 2}};

    private double[] data(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 10 * random.nextDouble() - 3;
        return v;
    }

    private static boolean[] mask(int rank, int[] dims) {
        boolean[] m = new boolean[rank];
        if (dims == null) Arrays.fill(m, true);
        else for (int d : dims) m[d < 0 ? d + rank : d] = true;
        return m;
    }

    /** Keepdim-layout results of op over the masked dims; var with the given correction when op is null. */
    private static double[] reference(Op op, double[] x, int[] shape, boolean[] reduced, int correction) {
        int[] keep = shape.clone();
        for (int d = 0; d < shape.length; d++) if (reduced[d]) keep[d] = 1;
        int outN = (int) Shape.numel(keep);
        double[][] groups = new double[outN][];
        int[] counts = new int[outN];
        int[] target = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            int rest = i, t = 0, stride = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                int c = rest % shape[d];
                rest /= shape[d];
                t += (reduced[d] ? 0 : c) * stride;
                stride *= keep[d];
            }
            target[i] = t;
            counts[t]++;
        }
        for (int t = 0; t < outN; t++) groups[t] = new double[counts[t]];
        int[] fill = new int[outN];
        for (int i = 0; i < x.length; i++) groups[target[i]][fill[target[i]]++] = x[i];
        double[] out = new double[outN];
        for (int t = 0; t < outN; t++) {
            double[] g = groups[t];
            double sum = 0;
            for (double v : g) sum += v;
            if (op == null) {
                double mean = sum / g.length, sq = 0;
                for (double v : g) sq += (v - mean) * (v - mean);
                out[t] = sq / (g.length - correction);
                continue;
            }
            out[t] = switch (op) {
                case SUM -> sum;
                case MEAN -> sum / g.length;
                case MAX -> Arrays.stream(g).max().orElseThrow();
                case MIN -> Arrays.stream(g).min().orElseThrow();
            };
        }
        return out;
    }

    private static int[] expectedShape(int[] shape, boolean[] reduced, boolean keepDim) {
        return java.util.stream.IntStream.range(0, shape.length).filter(d -> keepDim || !reduced[d])
                .map(d -> reduced[d] ? 1 : shape[d]).toArray();
    }

    @OnEachBackend
    void reduceOpsMatchReferenceOverDimsKeepDimAndFloatTypes(BackendUnderTest on) {
        double[] v = data((int) Shape.numel(SHAPE));
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = Tensor.of(v, SHAPE).to(dtype);
            double[] xs = x.toDoubleArray();
            for (Op op : Op.values()) {
                for (int[] dims : DIMS) {
                    boolean[] reduced = mask(3, dims);
                    double[] want = reference(op, xs, SHAPE, reduced, 0);
                    for (boolean keepDim : new boolean[] {true, false}) {
                        Tensor out = dims == null ? ReductionOps.reduce(op, x, null, keepDim)
                                : ReductionOps.reduce(op, x, dims, keepDim);
                        String what = op + " " + dtype + " dims " + Arrays.toString(dims) + " keepDim " + keepDim;
                        int[] shape = dims == null && !keepDim ? new int[0] : expectedShape(SHAPE, reduced, keepDim);
                        assertArrayEquals(shape, out.shape(), what);
                        assertEquals(dtype, out.dtype(), what);
                        assertArrayEquals(want, out.toDoubleArray(), dtype == DType.FLOAT64 ? 1e-11 : 1e-4, what);
                    }
                }
            }
        }
    }

    @OnEachBackend
    void reductionsOfTransposedInputsAndTheTensorApi(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new double[] {6, 15}, x.t().sum(0, false).toDoubleArray());
        assertArrayEquals(new double[] {2, 5}, x.mean(1, false).toDoubleArray());
        assertArrayEquals(new double[] {4, 5, 6}, x.max(0, false).toDoubleArray());
        assertArrayEquals(new double[] {1, 4}, x.min(1, true).toDoubleArray());
        assertEquals(21, x.sum().item());
        assertEquals(3.5, x.mean().item());
        assertEquals(6, x.max().item());
        assertEquals(1, x.min().item());
        assertArrayEquals(new double[] {5, 11}, x.t().slice(0, 1, 3).sum(new int[] {0}, false).toDoubleArray());
    }

    @OnEachBackend
    void integerReductionsAreExact(BackendUnderTest on) {
        long big = (1L << 60) + 1;
        Tensor x = Tensor.of(new long[] {big, 1, -5, 2, 7, -9}, 2, 3);
        assertEquals(DType.INT64, x.sum().dtype());
        assertEquals(big + 1 - 5 + 2 + 7 - 9, x.sum().toLongArray()[0]);
        assertArrayEquals(new long[] {big + 2, 8, -14}, x.sum(0, false).toLongArray());
        assertArrayEquals(new long[] {big, 7}, x.max(1, false).toLongArray());
        assertArrayEquals(new long[] {-5, -9}, x.min(1, false).toLongArray());
        Tensor i32 = Tensor.of(new int[] {3, -4, 10}, 3);
        assertEquals(9, i32.sum().item());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, x::mean);
        assertTrue(e.getMessage().startsWith("mean:"), e.getMessage());
    }

    @OnEachBackend
    void float32SumsOfAMillionElementsStayAccurate(BackendUnderTest on) {
        int n = 1_000_000;
        float[] v = new float[n];
        double exact = 0;
        for (int i = 0; i < n; i++) {
            v[i] = i % 3 == 0 ? 0.1f : (float) random.nextDouble();
            exact += v[i];
        }
        Tensor x = Tensor.of(v, n);
        // A float accumulator running left to right would be off by about 1e-4 relative here.
        assertEquals(exact, x.sum().item(), 2e-7 * exact);
        assertEquals(exact / n, x.mean().item(), 2e-7 * exact / n);
        // Over the leading dim (a bias gradient) and over the trailing dim, with many rows.
        Tensor m = Tensor.of(v, 50_000, 20);
        double[] cols = new double[20], rows = new double[50_000];
        for (int i = 0; i < n; i++) {
            cols[i % 20] += v[i];
            rows[i / 20] += v[i];
        }
        double[] gotCols = m.sum(0, false).toDoubleArray(), gotRows = m.sum(1, false).toDoubleArray();
        for (int c = 0; c < 20; c++) assertEquals(cols[c], gotCols[c], 2e-7 * cols[c]);
        for (int r = 0; r < rows.length; r += 997) assertEquals(rows[r], gotRows[r], 1e-6 * rows[r]);
        Tensor ones = Tensor.ones(4_000_000);
        assertEquals(4_000_000, ones.sum().item(), "partial sums combine exactly");
    }

    @OnEachBackend
    void maxMinPropagateNaNAndLargeInputsUseEveryPath(BackendUnderTest on) {
        int n = 300_000;
        double[] v = data(n);
        v[123_457] = Double.NaN;
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = Tensor.of(v, n).to(dtype);
            assertTrue(Double.isNaN(x.max().item()), dtype.toString());
            assertTrue(Double.isNaN(x.min().item()), dtype.toString());
            assertTrue(Double.isNaN(x.sum().item()), dtype.toString());
            double[] rowMax = x.reshape(1000, 300).max(1, false).toDoubleArray();
            double[] colMin = x.reshape(1000, 300).min(0, false).toDoubleArray();
            for (int r = 0; r < 1000; r++) assertEquals(r == 411, Double.isNaN(rowMax[r]), "row " + r);
            for (int c = 0; c < 300; c++) assertEquals(c == 157, Double.isNaN(colMin[c]), "column " + c);
        }
        double[] w = data(n);
        double max = Arrays.stream(w).max().orElseThrow();
        assertEquals(max, Tensor.of(w, 3, n / 3).max().item());
    }

    @OnEachBackend
    void emptyAndScalarTensors(BackendUnderTest on) {
        Tensor empty = Tensor.zeros(0, 3);
        assertEquals(0, empty.sum().item());
        assertTrue(Double.isNaN(empty.mean().item()));
        assertArrayEquals(new double[] {0, 0, 0}, empty.sum(0, false).toDoubleArray());
        assertArrayEquals(new int[] {0}, empty.sum(1, false).shape());
        assertTrue(Double.isNaN(empty.var().item()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, empty::max);
        assertTrue(e.getMessage().startsWith("max:") && e.getMessage().contains("[0, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> empty.min(0, false));
        assertTrue(e.getMessage().startsWith("min:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> empty.argmax(1, false));
        assertTrue(e.getMessage().startsWith("argmax:"), e.getMessage());

        Tensor s = Tensor.scalar(4, DType.FLOAT64);
        assertEquals(4, s.sum().item());
        assertEquals(4, s.sum(0, false).item());
        assertEquals(0, s.dim());
        assertEquals(0, s.argmax(0, false).item());
    }

    @OnEachBackend
    void badDimsNameTheOp(BackendUnderTest on) {
        Tensor x = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.sum(2, false));
        assertTrue(e.getMessage().startsWith("sum:") && e.getMessage().contains("2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.mean(new int[] {1, -1}, false));
        assertTrue(e.getMessage().startsWith("mean:") && e.getMessage().contains("twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.var(new int[] {-3}, 1, false));
        assertTrue(e.getMessage().startsWith("var:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x.argmin(5, true));
        assertTrue(e.getMessage().startsWith("argmin:"), e.getMessage());
    }

    // ------------------------------------------------------------------ variance

    @OnEachBackend
    void varianceMatchesTwoPassReference(BackendUnderTest on) {
        double[] v = data((int) Shape.numel(SHAPE));
        for (int i = 0; i < v.length; i++) v[i] += 1000; // a large mean: a one-pass formula would cancel
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = Tensor.of(v, SHAPE).to(dtype);
            double[] xs = x.toDoubleArray();
            for (int[] dims : DIMS) {
                for (int correction : new int[] {0, 1, 2}) {
                    double[] want = reference(null, xs, SHAPE, mask(3, dims), correction);
                    Tensor got = x.var(dims, correction, true);
                    String what = "var " + dtype + " dims " + Arrays.toString(dims) + " correction " + correction;
                    assertArrayEquals(want, got.toDoubleArray(), dtype == DType.FLOAT64 ? 1e-9 : 2e-3, what);
                }
            }
        }
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 4);
        assertEquals(5.0 / 3, x.var().item(), 1e-15);
        assertEquals(Math.sqrt(1.25), x.std(new int[] {0}, 0, false).item(), 1e-15);
        assertTrue(Double.isNaN(Tensor.of(new double[] {2}, 1).var().item()), "one element, correction 1: 0/0");
    }

    @OnEachBackend
    void varianceOfManyRowsSplitsAndJoinsExactly(BackendUnderTest on) {
        // Large enough that the rows are split into parts whose moments are joined (Chan's update).
        int rows = 200_000;
        double[] v = new double[rows * 2];
        double[] sum = new double[2];
        for (int i = 0; i < v.length; i++) {
            v[i] = 5 + (i % 2 == 0 ? 1 : 3) * random.nextGaussian();
            sum[i % 2] += v[i];
        }
        double[] sq = new double[2];
        for (int i = 0; i < v.length; i++) sq[i % 2] += Math.pow(v[i] - sum[i % 2] / rows, 2);
        double[] got = Tensor.of(v, rows, 2).var(new int[] {0}, 1, false).toDoubleArray();
        assertEquals(sq[0] / (rows - 1), got[0], 1e-12 * got[0]);
        assertEquals(sq[1] / (rows - 1), got[1], 1e-12 * got[1]);
        double all = Tensor.of(v, v.length).to(DType.FLOAT32).var().item();
        double mean = (sum[0] + sum[1]) / v.length, s2 = 0;
        for (double x : v) s2 += (x - mean) * (x - mean);
        assertEquals(s2 / (v.length - 1), all, 1e-5 * all);
    }

    // ------------------------------------------------------------------ argmax / argmin

    @OnEachBackend
    void argReduceFindsTheFirstExtremeAndTheFirstNaN(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[] {1, 5, 5, 0, 0, 2, 3, Double.NaN, 3, Double.NaN, -1, -1}, 3, 4);
        assertArrayEquals(new long[] {1, 3, 1}, x.argmax(1, false).toLongArray());
        assertArrayEquals(new long[] {3, 3, 1}, x.argmin(1, false).toLongArray());
        assertArrayEquals(new long[] {2, 2, 0, 1}, x.argmax(0, false).toLongArray());
        assertArrayEquals(new long[] {1, 2, 2, 1}, x.argmin(0, false).toLongArray());
        assertArrayEquals(new int[] {3, 1}, x.argmax(1, true).shape());
        assertArrayEquals(new int[] {1, 4}, x.argmin(-2, true).shape());
        assertEquals(DType.INT64, x.argmax(0, false).dtype());
        Tensor ints = Tensor.of(new long[] {3, 9, 9, -2}, 2, 2);
        assertArrayEquals(new long[] {1, 0}, ints.argmax(1, false).toLongArray());
        assertArrayEquals(new long[] {0, 1}, ints.argmin(0, false).toLongArray());
    }

    @OnEachBackend
    void argReduceMatchesReferenceOnLargeInputs(BackendUnderTest on) {
        int[] shape = {3, 500, 70};
        double[] v = data(3 * 500 * 70);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.of(v, shape).to(dtype);
            double[] xs = x.toDoubleArray();
            for (int dim = 0; dim < 3; dim++) {
                long[] got = x.argmax(dim, false).toLongArray();
                int n = shape[dim], inner = 1, outer = 1;
                for (int d = dim + 1; d < 3; d++) inner *= shape[d];
                for (int d = 0; d < dim; d++) outer *= shape[d];
                for (int o = 0; o < outer; o++) {
                    for (int c = 0; c < inner; c++) {
                        int best = 0;
                        for (int k = 1; k < n; k++) {
                            if (xs[(o * n + k) * inner + c] > xs[(o * n + best) * inner + c]) best = k;
                        }
                        assertEquals(best, got[o * inner + c], dtype + " dim " + dim);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ gradients

    @OnEachBackend
    void gradcheckSumMeanMaxVar(BackendUnderTest on) {
        Tensor x = Tensor.of(data(24), 2, 3, 4).requiresGrad(true);
        for (int[] dims : new int[][] {{0}, {1}, {2}, {0, 2}, {1, 2}}) {
            for (boolean keepDim : new boolean[] {true, false}) {
                GradCheck.check(in -> in[0].sum(dims, keepDim), x);
                GradCheck.check(in -> in[0].mean(dims, keepDim), x);
                GradCheck.check(in -> ReductionOps.reduce(Op.MAX, in[0], dims, keepDim), x);
                GradCheck.check(in -> ReductionOps.reduce(Op.MIN, in[0], dims, keepDim), x);
                GradCheck.check(in -> in[0].var(dims, 1, keepDim), x);
                GradCheck.check(in -> in[0].var(dims, 0, keepDim), x);
            }
        }
        GradCheck.check(in -> in[0].sum(), x);
        GradCheck.check(in -> in[0].mean(), x);
        GradCheck.check(in -> in[0].max(), x);
        GradCheck.check(in -> in[0].var(), x);
        GradCheck.check(in -> in[0].transpose(0, 2).sum(0, false), x);
    }

    @OnEachBackend
    void maxGradientIsSharedAmongTies(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[] {1, 3, 3, 2, 0, 2}, 2, 3).requiresGrad(true);
        x.max(1, false).sum().backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0.5, 0, 0.5}, x.grad().toDoubleArray());
        Tensor y = Tensor.of(new double[] {4, 4, 4, 1}, 4).requiresGrad(true);
        y.max().backward();
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 0}, y.grad().toDoubleArray(), 1e-15);
    }

    // ------------------------------------------------------------------ the kernels against the CPU's

    /** (x shape, reduced mask) cases covering the warp, block (chunked), column and general plans. */
    private static final Object[][] CASES = {
            {new int[] {7}, new boolean[] {true}},
            {new int[] {1_000_003}, new boolean[] {true}},
            {new int[] {37, 1000}, new boolean[] {false, true}},
            {new int[] {5, 100_001}, new boolean[] {false, true}},
            {new int[] {1000, 37}, new boolean[] {true, false}},
            {new int[] {300_001, 3}, new boolean[] {true, false}},
            {new int[] {4, 5, 6}, new boolean[] {true, false, true}},
            {new int[] {3, 70, 5, 900}, new boolean[] {false, true, false, true}},
            {new int[] {6, 1, 9}, new boolean[] {false, true, false}},
            {new int[] {2, 3}, new boolean[] {false, false}},
    };

    @ParityWithCpu
    void sumMeanMaxMinMatch(BackendUnderTest on) {
        for (DType dt : DType.values()) {
            for (Object[] c : CASES) {
                int[] shape = (int[]) c[0], out = keep(shape, (boolean[]) c[1]);
                Pair x = Parity.uniform(shape.length, dt, -100, 100, shape);
                for (Reductions.Op op : Reductions.Op.values()) {
                    if (op == Reductions.Op.MEAN && !dt.isFloating()) continue;
                    Pair o = Parity.poisoned(dt, out);
                    Parity.cpu().reductions().reduce(op, x.cpu(), o.cpu());
                    on.backend().reductions().reduce(op, x.tested(), o.tested());
                    Parity.assertClose(op + " " + dt + " " + Arrays.toString(shape) + " -> " + Arrays.toString(out), o);
                }
            }
        }
    }

    @ParityWithCpu
    void varianceMatches(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Object[] c : CASES) {
                int[] shape = (int[]) c[0], out = keep(shape, (boolean[]) c[1]);
                Pair x = Parity.uniform(11, dt, 3, 5, shape);
                for (int correction : new int[] {0, 1}) {
                    Pair o = Parity.poisoned(dt, out);
                    Parity.cpu().reductions().variance(x.cpu(), correction, o.cpu());
                    on.backend().reductions().variance(x.tested(), correction, o.tested());
                    Parity.assertClose("var " + dt + " " + Arrays.toString(shape) + " correction " + correction, o,
                            dt == DType.FLOAT32 ? 1e-5 : 1e-11);
                }
            }
        }
    }

    @ParityWithCpu
    void argmaxAndArgminMatchIncludingTiesAndNaN(BackendUnderTest on) {
        int[][] shapes = {{9}, {4, 3000}, {6, 30, 4}, {50, 7}};
        for (DType dt : DType.values()) {
            for (int[] shape : shapes) {
                for (int dim = 0; dim < shape.length; dim++) {
                    // Few distinct values, so that ties are common; a NaN here and there for floats.
                    Pair x = Parity.uniform(dim, dt, 0, 4, shape);
                    if (dt.isFloating()) {
                        double[] v = dev.myelin.ops.Creation.toHost(x.cpu()).toDoubles();
                        for (int i = 0; i < v.length; i++) v[i] = Math.floor(v[i]);
                        for (int i = 13; i < v.length; i += 97) v[i] = Double.NaN;
                        x = Parity.of(dt, v, shape);
                    }
                    int[] out = shape.clone();
                    out[dim] = 1;
                    for (boolean max : new boolean[] {true, false}) {
                        Pair o = Parity.poisoned(DType.INT64, out);
                        Parity.cpu().reductions().argReduce(max, x.cpu(), dim, o.cpu());
                        on.backend().reductions().argReduce(max, x.tested(), dim, o.tested());
                        Parity.assertClose((max ? "argmax " : "argmin ") + dt + " " + Arrays.toString(shape)
                                + " dim " + dim, o);
                    }
                }
            }
        }
    }

    /**
     * 64-bit indexing: a sum over 2^31 + 8 elements (17 GB of float64), on the accelerators. Run with
     * -Dmyelin.gpu.large=true.
     */
    @ParityWithCpu
    void sumOverMoreThanTwoToTheThirtyOneElements(BackendUnderTest on) {
        Assumptions.assumeTrue(Boolean.getBoolean("myelin.gpu.large"), "large-tensor test: -Dmyelin.gpu.large=true");
        long n = (1L << 31) + 7;
        Backend backend = on.backend();
        // Tensor sizes are ints: [2, 2^30 + 4] ones.
        Tensor x = Tensor.empty(backend, DType.FLOAT64, 2, (int) ((n + 1) / 2));
        backend.elementwise().fill(x, 1.0);
        Tensor out = Tensor.empty(backend, DType.FLOAT64, 1, 1);
        on.backend().reductions().reduce(Reductions.Op.SUM, x, out);
        assertEquals((double) (2 * ((n + 1) / 2)), out.toDoubleArray()[0], "every element counted once");
        x.close();
        out.close();
    }

    private static int[] keep(int[] shape, boolean[] reduced) {
        int[] out = shape.clone();
        for (int d = 0; d < shape.length; d++) if (reduced[d]) out[d] = 1;
        return out;
    }
}

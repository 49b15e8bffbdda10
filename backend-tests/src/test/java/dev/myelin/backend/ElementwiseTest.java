package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.backend.Elementwise.Binary;
import dev.myelin.backend.Elementwise.Unary;
import dev.myelin.ops.Creation;
import dev.myelin.ops.ElementwiseOps;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import dev.myelin.testing.Parity;
import dev.myelin.testing.Parity.Pair;
import dev.myelin.testing.ParityWithCpu;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Elementwise ops on each backend: against naive references, over layouts, dtypes and edge values;
 * gradients; every kernel, dtype and operand geometry (contiguous, broadcast, strided) against the CPU's.
 */
class ElementwiseTest {
    /** One per test instance (one per backend and test), so that every backend sees the same data. */
    private final Random random = new Random(42);

    // ------------------------------------------------------------------ references

    private static double unaryRef(Unary op, double v) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> v > 0 ? 1 : v < 0 ? -1 : 0;
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case LOG1P -> Math.log1p(v);
            case SQRT -> Math.sqrt(v);
            case RSQRT -> 1 / Math.sqrt(v);
            case SQUARE -> v * v;
            case RECIPROCAL -> 1 / v;
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
        };
    }

    private static DoubleBinaryOperator binaryRef(Binary op) {
        return switch (op) {
            case ADD -> (x, y) -> x + y;
            case SUB -> (x, y) -> x - y;
            case MUL -> (x, y) -> x * y;
            case DIV -> (x, y) -> x / y;
            case POW -> Math::pow;
            case MAXIMUM -> (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            case MINIMUM -> (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
            case EQ -> (x, y) -> x == y ? 1 : 0;
            case NE -> (x, y) -> x != y ? 1 : 0;
            case LT -> (x, y) -> x < y ? 1 : 0;
            case LE -> (x, y) -> x <= y ? 1 : 0;
            case GT -> (x, y) -> x > y ? 1 : 0;
            case GE -> (x, y) -> x >= y ? 1 : 0;
        };
    }

    /** Values in the op's domain; some repeats so that comparisons see ties. */
    private double[] data(int n, boolean positive) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = positive ? 0.1 + 3 * random.nextDouble() : 4 * random.nextDouble() - 2;
            if (i % 7 == 3) v[i] = positive ? 1.5 : 0.5;
        }
        return v;
    }

    private static boolean positiveDomain(Unary op) {
        return op == Unary.LOG || op == Unary.SQRT || op == Unary.RSQRT;
    }

    /** Row-major value of a broadcast operand with shape s at the flat index of out shape o. */
    private static double at(double[] v, int[] s, int[] o, int flat) {
        int idx = 0, stride = 1, lead = o.length - s.length;
        for (int d = o.length - 1; d >= 0; d--) {
            int coord = flat % o[d];
            flat /= o[d];
            if (d >= lead) {
                int size = s[d - lead];
                idx += (size == 1 ? 0 : coord) * stride;
                stride *= size;
            }
        }
        return v[idx];
    }

    private static Tensor tensor(double[] v, DType dtype, int... shape) {
        return Tensor.of(v, shape).to(dtype);
    }

    private static void assertClose(double expected, double actual, double rtol, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
            return;
        }
        assertEquals(expected, actual, rtol * Math.abs(expected) + 1e-300, what);
    }

    // ------------------------------------------------------------------ unary

    @OnEachBackend
    void unaryOpsMatchMathInBothFloatTypesContiguousAndStrided(BackendUnderTest on) {
        for (Unary op : Unary.values()) {
            double[] v = data(6 * 37, positiveDomain(op));
            for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                Tensor x = tensor(v, dtype, 6, 37);
                double[] in = x.toDoubleArray();
                // The CPU computes float64 as java.lang.Math does, exactly; other backends to the parity tolerance.
                double rtol = dtype == DType.FLOAT64 ? (on.isCpu() ? 0 : Parity.F64) : 3e-7;
                double[] got = applyUnary(x, op).toDoubleArray();
                for (int i = 0; i < v.length; i++) {
                    double want = dtype == DType.FLOAT64 ? unaryRef(op, in[i]) : (float) unaryRef(op, in[i]);
                    assertClose(want, got[i], rtol, op + " " + dtype + " at " + i);
                }
                // Transposed input: element (i, j) of x.t() is x[j, i].
                double[] gotT = applyUnary(x.t(), op).toDoubleArray();
                for (int i = 0; i < 37; i++) {
                    for (int j = 0; j < 6; j++) {
                        double want = dtype == DType.FLOAT64 ? unaryRef(op, in[j * 37 + i])
                                : (float) unaryRef(op, in[j * 37 + i]);
                        assertClose(want, gotT[i * 6 + j], rtol, op + " transposed " + dtype);
                    }
                }
            }
        }
    }

    @OnEachBackend
    void unaryEdgeValuesFollowPyTorch(BackendUnderTest on) {
        double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
        Tensor x = Tensor.of(new double[] {nan, -0.0, 0.0, -inf, inf, -3}, 6);
        assertArrayEquals(new double[] {0, 0, 0, -1, 1, -1}, x.sign().toDoubleArray());
        assertArrayEquals(new double[] {nan, 1, 1, 0, inf, Math.exp(-3)}, x.exp().toDoubleArray());
        assertArrayEquals(new double[] {nan, -inf, -inf, nan, inf, nan}, x.log().toDoubleArray());
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            assertEquals(inf, Tensor.full(1000, dtype, 40).exp().toDoubleArray()[39]);
            assertTrue(Double.isNaN(Tensor.full(Double.NaN, dtype, 33).sqrt().toDoubleArray()[32]));
        }
    }

    @OnEachBackend
    void kernelsRefuseAStridedOutput(BackendUnderTest on) {
        Tensor a = Tensor.ones(3, 4), out = Tensor.zeros(4, 3).t();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.backend().elementwise().binary(Binary.ADD, a, a, out));
        assertTrue(e.getMessage().startsWith("add:") && e.getMessage().contains("[3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.backend().elementwise().clamp(a, 0, 1, out));
        assertTrue(e.getMessage().startsWith("clamp:"), e.getMessage());
    }

    @OnEachBackend
    void unaryRejectsIntegerTensors(BackendUnderTest on) {
        Tensor ints = Tensor.of(new long[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ints::exp);
        assertTrue(e.getMessage().startsWith("exp:") && e.getMessage().contains("INT64"), e.getMessage());
    }

    // ------------------------------------------------------------------ binary

    /** The broadcast layouts the kernels special-case, and the general ones. */
    private static final int[][][] LAYOUTS = {
        {{4, 37}, {4, 37}},       // same shape
        {{4, 37}, {}},            // scalar
        {{4, 37}, {37}},          // bias row
        {{4, 37}, {4, 1}},        // one value per row
        {{4, 1}, {1, 37}},        // outer product
        {{2, 3, 5}, {3, 1}},      // middle broadcast
        {{}, {4, 37}},            // scalar first
    };

    @OnEachBackend
    void binaryOpsMatchReferenceOverLayoutsAndFloatTypes(BackendUnderTest on) {
        for (Binary op : Binary.values()) {
            for (int[][] layout : LAYOUTS) {
                int[] sa = layout[0], sb = layout[1], so = Shape.broadcast("test", sa, sb);
                double[] va = data((int) Shape.numel(sa), op == Binary.POW), vb = data((int) Shape.numel(sb), false);
                for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    Tensor a = tensor(va, dtype, sa), b = tensor(vb, dtype, sb);
                    double[] fa = a.toDoubleArray(), fb = b.toDoubleArray();
                    Tensor out = ElementwiseOps.binary(op, a, b);
                    assertArrayEquals(so, out.shape());
                    assertEquals(dtype, out.dtype());
                    double[] got = out.toDoubleArray();
                    for (int i = 0; i < got.length; i++) {
                        double want = binaryRef(op).applyAsDouble(at(fa, sa, so, i), at(fb, sb, so, i));
                        if (dtype == DType.FLOAT32) want = (float) want;
                        // Exact on the CPU (java.lang.Math), to the parity tolerance in float64 elsewhere.
                        double rtol = dtype == DType.FLOAT32 ? (op == Binary.POW ? 1e-7 : 0)
                                : (on.isCpu() ? 0 : Parity.F64);
                        assertClose(want, got[i], rtol,
                                op + " " + dtype + " " + Shape.str(sa) + " with " + Shape.str(sb) + " at " + i);
                    }
                }
            }
        }
    }

    @OnEachBackend
    void binaryOnTransposedAndSlicedInputs(BackendUnderTest on) {
        double[] va = data(5 * 7, false), vb = data(7 * 5, false);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor a = tensor(va, dtype, 5, 7), b = tensor(vb, dtype, 7, 5);
            double[] fa = a.toDoubleArray(), fb = b.toDoubleArray();
            double tol = dtype == DType.FLOAT32 ? 1e-6 : 0;
            // a.t() is [7, 5] with strides (1, 7); b sliced to columns 1..4 has a row stride of 5.
            double[] got = a.t().sub(b).toDoubleArray();
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 5; j++) assertEquals(fa[j * 7 + i] - fb[i * 5 + j], got[i * 5 + j], tol);
            }
            double[] sliced = b.slice(1, 1, 4).mul(b.slice(1, 0, 3)).toDoubleArray();
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 3; j++) assertEquals(fb[i * 5 + j + 1] * fb[i * 5 + j], sliced[i * 3 + j], tol);
            }
        }
    }

    @OnEachBackend
    void maximumMinimumPropagateNaN(BackendUnderTest on) {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double[] va = new double[40], vb = new double[40];
            for (int i = 0; i < 40; i++) {
                va[i] = i % 3 == 0 ? Double.NaN : i;
                vb[i] = i % 5 == 0 ? Double.NaN : 20;
            }
            Tensor a = tensor(va, dtype, 40), b = tensor(vb, dtype, 40);
            double[] max = a.maximum(b).toDoubleArray(), min = a.minimum(b).toDoubleArray();
            for (int i = 0; i < 40; i++) {
                boolean nan = i % 3 == 0 || i % 5 == 0;
                assertEquals(nan, Double.isNaN(max[i]), "maximum at " + i);
                assertEquals(nan, Double.isNaN(min[i]), "minimum at " + i);
                if (!nan) {
                    assertEquals(Math.max(i, 20), max[i]);
                    assertEquals(Math.min(i, 20), min[i]);
                }
            }
        }
    }

    @OnEachBackend
    void integerTensorsComputeExactlyInLong(BackendUnderTest on) {
        long big = (1L << 62) + 1;
        Tensor a = Tensor.of(new long[] {big, -7, 7, 3, -2, 0}, 2, 3);
        Tensor b = Tensor.of(new long[] {1, 2, -2}, 3);
        assertArrayEquals(new long[] {big + 1, -5, 5, 4, 0, -2}, a.add(b).toLongArray());
        assertArrayEquals(new long[] {big, -14, -14, 3, -4, 0}, a.mul(b).toLongArray());
        // Integer division truncates toward zero and keeps the dtype.
        assertArrayEquals(new long[] {big, -3, -3, 3, -1, 0}, a.div(b).toLongArray());
        assertArrayEquals(new long[] {big, 49, 0, 3, 4, 0}, a.pow(b).toLongArray());
        assertArrayEquals(new long[] {1, 0, 1, 1, 0, 1}, a.gt(b).toLongArray());
        assertEquals(DType.INT64, a.gt(b).dtype());
        Tensor i32 = Tensor.of(new int[] {5, -5, 9}, 3);
        assertArrayEquals(new long[] {2, -2, 4}, i32.div(2).toLongArray());
        assertArrayEquals(new long[] {-3, 7, -7}, i32.rsub(2).toLongArray());
        assertEquals(DType.INT32, i32.add(1).dtype());
        // int32 with int64 promotes to int64 (PyTorch's rule).
        Tensor mixed = i32.add(Tensor.of(new long[] {1, 1, 1}, 3));
        assertEquals(DType.INT64, mixed.dtype());
        assertArrayEquals(new long[] {6, -4, 10}, mixed.toLongArray());
    }

    @OnEachBackend
    void integerDivisionByZeroNamesTheOp(BackendUnderTest on) {
        Tensor a = Tensor.of(new long[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.div(Tensor.of(new long[] {1, 0}, 2)));
        assertTrue(e.getMessage().startsWith("div:"), e.getMessage());
    }

    @OnEachBackend
    void comparisonsGiveOnesAndZerosInTheInputDtype(BackendUnderTest on) {
        Tensor a = Tensor.of(new float[] {1, 2, 3, Float.NaN}, 4);
        Tensor b = Tensor.of(new float[] {1, 3, 2, Float.NaN}, 4);
        assertArrayEquals(new double[] {1, 0, 0, 0}, a.eq(b).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 0, 0}, a.lt(b).toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 1, 0}, a.gt(b).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 1, 1}, a.ne(1).toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 0, 0}, a.le(2).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 1, 0}, a.ge(2).toDoubleArray());
        assertEquals(DType.FLOAT32, a.eq(b).dtype());
        // Long enough for the vector loops, with NaN and ties, tensor-tensor and tensor-scalar in both orders.
        double[] x = new double[45], y = new double[45];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 9 == 0 ? Double.NaN : i % 5;
            y[i] = i % 7 == 0 ? Double.NaN : 2;
        }
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor tx = Tensor.of(x, 45).to(dtype), ty = Tensor.of(y, 45).to(dtype);
            for (Binary op : new Binary[] {Binary.EQ, Binary.NE, Binary.LT, Binary.LE, Binary.GT, Binary.GE}) {
                double[] both = ElementwiseOps.binary(op, tx, ty).toDoubleArray();
                double[] scalar = ElementwiseOps.scalar(op, tx, 2, false).toDoubleArray();
                double[] first = ElementwiseOps.scalar(op, tx, 2, true).toDoubleArray();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(binaryRef(op).applyAsDouble(x[i], y[i]), both[i], op + " " + dtype + " at " + i);
                    assertEquals(binaryRef(op).applyAsDouble(x[i], 2), scalar[i], op + " scalar " + dtype + " at " + i);
                    assertEquals(binaryRef(op).applyAsDouble(2, x[i]), first[i],
                            op + " scalar first " + dtype + " at " + i);
                }
            }
        }
        assertFalse(Tensor.of(new double[] {1}, 1).requiresGrad(true).gt(0).requiresGrad(),
                "comparisons are not differentiable");
    }

    @OnEachBackend
    void scalarOpsInBothOrdersMatchReference(BackendUnderTest on) {
        double[] v = data(45, true);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = tensor(v, dtype, 5, 9);
            Tensor xt = x.t();
            double[] in = x.toDoubleArray();
            for (Binary op : Binary.values()) {
                for (boolean first : new boolean[] {false, true}) {
                    double s = 1.3;
                    // float32 ops take the scalar as float32 first, as PyTorch does.
                    double sc = dtype == DType.FLOAT32 ? (float) s : s;
                    double[] got = ElementwiseOps.scalar(op, x, s, first).toDoubleArray();
                    double[] gotT = ElementwiseOps.scalar(op, xt, s, first).toDoubleArray();
                    for (int i = 0; i < in.length; i++) {
                        double want = first ? binaryRef(op).applyAsDouble(sc, in[i])
                                : binaryRef(op).applyAsDouble(in[i], sc);
                        int r = i / 9, c = i % 9;
                        double wantT = first ? binaryRef(op).applyAsDouble(sc, in[r * 9 + c])
                                : binaryRef(op).applyAsDouble(in[r * 9 + c], sc);
                        if (dtype == DType.FLOAT32) {
                            want = (float) want;
                            wantT = (float) wantT;
                        }
                        String what = op + (first ? " (scalar first) " : " ") + dtype;
                        // Exact on the CPU (java.lang.Math), to the parity tolerance in float64 elsewhere.
                        double rtol = dtype == DType.FLOAT32 ? (op == Binary.POW ? 1e-7 : 0)
                                : (on.isCpu() ? 0 : Parity.F64);
                        assertClose(want, got[i], rtol, what);
                        assertClose(wantT, gotT[c * 5 + r], dtype == DType.FLOAT32 && op == Binary.POW ? 1e-7 : 0,
                                what + " transposed");
                    }
                }
            }
        }
        assertArrayEquals(new double[] {0.1f * 3f}, Tensor.of(new float[] {3}, 1).mul(0.1).toDoubleArray());
    }

    @OnEachBackend
    void scalarWithIntegerTensorMustBeIntegral(BackendUnderTest on) {
        Tensor ints = Tensor.of(new long[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ints.mul(0.5));
        assertTrue(e.getMessage().startsWith("mul:"), e.getMessage());
        assertArrayEquals(new long[] {2, 4}, ints.mul(2).toLongArray());
    }

    // ------------------------------------------------------------------ clamp, where, copy, fill

    @OnEachBackend
    void clampKeepsNaNAndHandlesInfiniteBounds(BackendUnderTest on) {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double[] v = new double[35];
            for (int i = 0; i < v.length; i++) v[i] = i == 20 ? Double.NaN : i - 17;
            Tensor x = tensor(v, dtype, 35);
            double[] got = x.clamp(-3, 4.5).toDoubleArray();
            double[] lower = x.clamp(-2, Double.POSITIVE_INFINITY).toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                if (i == 20) {
                    assertTrue(Double.isNaN(got[i]) && Double.isNaN(lower[i]));
                    continue;
                }
                assertEquals(Math.min(Math.max(v[i], -3), 4.5), got[i]);
                assertEquals(Math.max(v[i], -2), lower[i]);
            }
            double[] strided = x.slice(0, 0, 34).reshape(2, 17).t().clamp(0, 1).toDoubleArray();
            assertEquals(Math.min(Math.max(v[17 + 16], 0), 1), strided[16 * 2 + 1]);
        }
        assertArrayEquals(new long[] {-2, 0, 3}, Tensor.of(new long[] {-9, 0, 9}, 3).clamp(-2, 3).toLongArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).clamp(1, 0));
        assertTrue(e.getMessage().startsWith("clamp:"), e.getMessage());
    }

    @OnEachBackend
    void whereBroadcastsAndAcceptsAnyConditionDtype(BackendUnderTest on) {
        double[] va = data(3 * 20, false), vb = data(20, false);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT64}) {
            for (DType condType : new DType[] {dtype, DType.INT64}) {
                double[] c = new double[3 * 20];
                for (int i = 0; i < c.length; i++) c[i] = (i * 7) % 3 == 0 ? 0 : 1;
                Tensor cond = tensor(c, condType, 3, 20), a = tensor(va, dtype, 3, 20), b = tensor(vb, dtype, 20);
                double[] fa = a.toDoubleArray(), fb = b.toDoubleArray();
                double[] got = Tensor.where(cond, a, b).toDoubleArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(c[i] != 0 ? fa[i] : fb[i % 20], got[i], dtype + " cond " + condType);
                }
                double[] scalarB = Tensor.where(cond, a, tensor(new double[] {5}, dtype)).toDoubleArray();
                for (int i = 0; i < got.length; i++) assertEquals(c[i] != 0 ? fa[i] : 5, scalarB[i]);
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.where(Tensor.ones(3), Tensor.ones(4), Tensor.ones(4)));
    }

    @OnEachBackend
    void castsBetweenAllDtypes(BackendUnderTest on) {
        Tensor f = Tensor.of(new double[] {-2.7, -0.5, 0, 1.5, 3.99, 1e10}, 2, 3);
        assertArrayEquals(new long[] {-2, 0, 0, 1, 3, 10_000_000_000L}, f.to(DType.INT64).toLongArray());
        assertArrayEquals(new long[] {-2, 0, 0, 1, 3},
                f.slice(1, 0, 3).reshape(-1).slice(0, 0, 5).to(DType.INT32).toLongArray());
        assertArrayEquals(new float[] {-2.7f, -0.5f, 0, 1.5f, 3.99f, 1e10f}, f.to(DType.FLOAT32).toFloatArray());
        assertArrayEquals(new double[] {(float) -2.7, -0.5, 0, 1.5, (float) 3.99, 1e10},
                f.to(DType.FLOAT32).to(DType.FLOAT64).toDoubleArray());
        long big = (1L << 60) + 3;
        Tensor l = Tensor.of(new long[] {big, 1, 2, 3}, 2, 2);
        assertArrayEquals(new long[] {big, 2, 1, 3}, l.t().contiguous().toLongArray(), "int64 copies are exact");
        assertArrayEquals(new long[] {3, 1, 2, 3}, l.to(DType.INT32).to(DType.INT64).toLongArray(),
                "int64 -> int32 wraps like a C cast");
        assertArrayEquals(new double[] {0, 1, 2, 3},
                Tensor.of(new int[] {0, 1, 2, 3}, 4).to(DType.FLOAT64).toDoubleArray());
        // A strided float32 -> float64 cast.
        Tensor s = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t().to(DType.FLOAT64);
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, s.toDoubleArray());
    }

    @OnEachBackend
    void fillWritesOnlyTheView(BackendUnderTest on) {
        for (DType dtype : DType.values()) {
            Tensor t = Tensor.zeros(dtype, 3, 4);
            t.slice(1, 1, 3).fill(7);
            assertArrayEquals(new double[] {0, 7, 7, 0, 0, 7, 7, 0, 0, 7, 7, 0}, t.toDoubleArray(), dtype.toString());
            t.select(0, 2).fill(-1);
            assertArrayEquals(new double[] {0, 7, 7, 0, 0, 7, 7, 0, -1, -1, -1, -1}, t.toDoubleArray(),
                    dtype.toString());
        }
        assertEquals((1L << 53) + 2, Tensor.full((1L << 53) + 2, DType.INT64, 3).toLongArray()[2]);
    }

    // ------------------------------------------------------------------ gradients

    private static Tensor leaf(double[] v, int... shape) {
        return Tensor.of(v, shape).requiresGrad(true);
    }

    @OnEachBackend
    void gradcheckBinaryOpsWithBroadcasting(BackendUnderTest on) {
        for (Binary op : new Binary[] {Binary.ADD, Binary.SUB, Binary.MUL, Binary.DIV, Binary.POW, Binary.MAXIMUM,
                Binary.MINIMUM}) {
            boolean positive = op == Binary.POW || op == Binary.DIV;
            Tensor a = leaf(data(6, positive), 2, 3);
            // Distinct from a's values so that maximum/minimum have no ties.
            Tensor row = leaf(new double[] {0.35, 1.85, 1.15}, 3);
            Tensor column = leaf(new double[] {0.45, 2.05}, 2, 1);
            GradCheck.check(in -> ElementwiseOps.binary(op, in[0], in[1]), a, row);
            GradCheck.check(in -> ElementwiseOps.binary(op, in[1], in[0]), a, column);
            GradCheck.check(in -> ElementwiseOps.binary(op, in[0], in[0].mul(0.5).add(0.4)), a);
        }
    }

    @OnEachBackend
    void gradcheckScalarOps(BackendUnderTest on) {
        Tensor x = leaf(data(6, true), 2, 3);
        GradCheck.check(in -> in[0].add(2).mul(3).sub(1), x);
        GradCheck.check(in -> in[0].rsub(2).div(4), x);
        GradCheck.check(in -> in[0].rdiv(2), x);
        GradCheck.check(in -> in[0].pow(2.5), x);
        GradCheck.check(in -> in[0].pow(2), x);
        GradCheck.check(in -> ElementwiseOps.scalar(Binary.POW, in[0], 1.7, true), x);
        GradCheck.check(in -> ElementwiseOps.scalar(Binary.MAXIMUM, in[0], 1.05, false), x);
        GradCheck.check(in -> ElementwiseOps.scalar(Binary.MINIMUM, in[0], 1.05, true), x);
    }

    @OnEachBackend
    void gradcheckEveryUnaryOp(BackendUnderTest on) {
        for (Unary op : Unary.values()) {
            double[] v = data(6, positiveDomain(op) || op == Unary.RECIPROCAL);
            if (op == Unary.ABS || op == Unary.SIGN) {
                for (int i = 0; i < v.length; i++) if (Math.abs(v[i]) < 0.05) v[i] = 0.3;
            }
            Tensor x = leaf(v, 2, 3);
            GradCheck.check(in -> applyUnary(in[0], op), x);
        }
    }

    @OnEachBackend
    void gradcheckClampAndWhere(BackendUnderTest on) {
        Tensor x = leaf(new double[] {-1.5, -0.2, 0.3, 0.9, 1.7, 2.4}, 2, 3);
        GradCheck.check(in -> in[0].clamp(-0.5, 1.2), x);
        Tensor cond = Tensor.of(new double[] {1, 0, 1}, 3);
        Tensor y = leaf(new double[] {0.5, -0.5, 2}, 3);
        GradCheck.check(in -> Tensor.where(cond, in[0], in[1]), x, y);
        GradCheck.check(in -> Tensor.where(cond.reshape(3, 1).expand(3, 2).t(), in[1].mul(in[0]), in[0].exp()), x, y);
    }

    @OnEachBackend
    void whereGradientKeepsTheInputDtype(BackendUnderTest on) {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3, 4}, 2).requiresGrad(true);
        Tensor.where(Tensor.of(new double[] {1, 0}, 2), a, b).sum().backward();
        assertEquals(DType.FLOAT32, a.grad().dtype());
        assertArrayEquals(new double[] {1, 0}, a.grad().toDoubleArray());
        assertEquals(DType.FLOAT64, b.grad().dtype());
    }

    @OnEachBackend
    void gradcheckCastBetweenFloatTypes(BackendUnderTest on) {
        Tensor x = leaf(data(4, false), 4);
        GradCheck.check(in -> in[0].to(DType.FLOAT32).mul(2).to(DType.FLOAT64), 1e-3, 1e-3, 1e-3, x);
    }

    /** The unary op through the core's op (the Tensor API has one method per op). */
    private static Tensor applyUnary(Tensor t, Unary op) {
        return ElementwiseOps.unary(op, t);
    }

    // ------------------------------------------------------------------ the kernels against the CPU's

    /** (a, b) operand geometries for out of shape [R, C]: contiguous, row and column broadcasts, transposed, scalar. */
    private static Pair[][] operands(long seed, DType dt, int r, int c, double lo, double hi) {
        Pair a = Parity.uniform(seed, dt, lo, hi, r, c), b = Parity.uniform(seed + 1, dt, lo, hi, r, c);
        Pair row = Parity.uniform(seed + 2, dt, lo, hi, 1, c).map(t -> t.expand(r, c));
        Pair col = Parity.uniform(seed + 3, dt, lo, hi, r, 1).map(t -> t.expand(r, c));
        Pair tr = Parity.uniform(seed + 4, dt, lo, hi, c, r).map(t -> t.t());
        Pair one = Parity.uniform(seed + 5, dt, lo, hi, 1).map(t -> t.expand(r, c));
        return new Pair[][] {{a, b}, {a, row}, {col, b}, {tr, a}, {one, tr}, {row, col}};
    }

    @ParityWithCpu
    void binaryOpsMatchForEveryDtypeAndLayout(BackendUnderTest on) {
        int[][] shapes = {{1, 1}, {7, 13}, {33, 1029}};
        for (DType dt : DType.values()) {
            for (int[] s : shapes) {
                for (Binary op : Binary.values()) {
                    double lo = op == Binary.POW ? (dt.isFloating() ? 0.1 : 0) : -20, hi = op == Binary.POW ? 4 : 20;
                    Pair[][] cases = operands(op.ordinal() * 31L + s[1], dt, s[0], s[1], lo, hi);
                    for (int k = 0; k < cases.length; k++) {
                        Pair a = cases[k][0], b = cases[k][1];
                        if (op == Binary.DIV && !dt.isFloating()) b = Parity.of(dt, nonZero(b), s[0], s[1]);
                        Pair out = Parity.poisoned(dt, s);
                        Parity.cpu().elementwise().binary(op, a.cpu(), b.cpu(), out.cpu());
                        on.backend().elementwise().binary(op, a.tested(), b.tested(), out.tested());
                        Parity.assertClose(op + " " + dt + " layout " + k + " " + s[0] + "x" + s[1], out);
                    }
                }
            }
        }
    }

    @ParityWithCpu
    void scalarOpsClampAndWhereMatch(BackendUnderTest on) {
        for (DType dt : DType.values()) {
            Pair[][] cases = operands(5, dt, 19, 67, -20, 20);
            for (Pair[] c : cases) {
                Pair a = c[0];
                for (Binary op : Binary.values()) {
                    for (boolean first : new boolean[] {false, true}) {
                        double s = op == Binary.POW ? 2 : dt.isFloating() ? 0.3 : 3;
                        if (op == Binary.DIV && first && !dt.isFloating()) continue;  // zeros in a
                        Pair out = Parity.poisoned(dt, 19, 67);
                        Parity.cpu().elementwise().binaryScalar(op, a.cpu(), s, first, out.cpu());
                        on.backend().elementwise().binaryScalar(op, a.tested(), s, first, out.tested());
                        Parity.assertClose(op + " scalar " + s + (first ? " first " : " ") + dt, out);
                    }
                }
                Pair out = Parity.poisoned(dt, 19, 67);
                Parity.cpu().elementwise().clamp(a.cpu(), -5.5, 7.25, out.cpu());
                on.backend().elementwise().clamp(a.tested(), -5.5, 7.25, out.tested());
                Parity.assertClose("clamp " + dt, out);
                Pair cond = Parity.uniform(9, DType.INT32, -1, 2, 19, 67);
                out = Parity.poisoned(dt, 19, 67);
                Parity.cpu().elementwise().where(cond.cpu(), a.cpu(), c[1].cpu(), out.cpu());
                on.backend().elementwise().where(cond.tested(), a.tested(), c[1].tested(), out.tested());
                Parity.assertClose("where " + dt, out);
            }
        }
    }

    @ParityWithCpu
    void unaryOpsMatch(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Unary op : Unary.values()) {
                boolean positive = op == Unary.LOG || op == Unary.SQRT || op == Unary.RSQRT;
                Pair[][] cases = operands(op.ordinal(), dt, 23, 1001, positive ? 0.01 : -3, 3);
                for (int k = 0; k < cases.length; k++) {
                    Pair out = Parity.poisoned(dt, 23, 1001);
                    Parity.cpu().elementwise().unary(op, cases[k][0].cpu(), out.cpu());
                    on.backend().elementwise().unary(op, cases[k][0].tested(), out.tested());
                    // float32 transcendentals: the CPU's vector lanes and CUDA's expf/logf/sinf are each within a
                    // few ulp.
                    Parity.assertClose(op + " " + dt + " layout " + k, out, dt == DType.FLOAT32 ? Parity.F32 : 1e-14);
                }
            }
        }
    }

    @ParityWithCpu
    void edgeValuesFollowJava(BackendUnderTest on) {
        double[] v = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                1, -1, 2.5, -2.5, 1e-40};
        int n = v.length;
        double[] a = new double[n * n], b = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { a[i * n + j] = v[i]; b[i * n + j] = v[j]; }
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Pair x = Parity.of(dt, a, n * n), y = Parity.of(dt, b, n * n);
            for (Binary op : Binary.values()) {
                Pair out = Parity.poisoned(dt, n * n);
                Parity.cpu().elementwise().binary(op, x.cpu(), y.cpu(), out.cpu());
                on.backend().elementwise().binary(op, x.tested(), y.tested(), out.tested());
                // pow: Math.pow and CUDA's pow may differ in the last bit of a double; its special cases must agree.
                if (op == Binary.POW) Parity.assertClose("pow on NaN, inf, -0 " + dt, out, 1e-15);
                else Parity.assertExact(op + " on NaN, inf, -0 " + dt, out);
            }
            for (Unary op : new Unary[] {Unary.NEG, Unary.ABS, Unary.SIGN, Unary.SQRT, Unary.RECIPROCAL,
                    Unary.SQUARE}) {
                Pair out = Parity.poisoned(dt, n * n);
                Parity.cpu().elementwise().unary(op, x.cpu(), out.cpu());
                on.backend().elementwise().unary(op, x.tested(), out.tested());
                Parity.assertExact(op + " on NaN, inf, -0 " + dt, out);
            }
        }
    }

    @ParityWithCpu
    void copiesConvertAsJavaCasts(BackendUnderTest on) {
        double[] v = {Double.NaN, 1e30, -1e30, 3.99, -3.99, 2147483648.0, -0.0, 9007199254740993.0, 123456789012.0};
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                Pair src = Parity.of(from, v, 3, 3), dst = Parity.poisoned(to, 3, 3);
                Parity.cpu().elementwise().copy(src.cpu(), dst.cpu());
                on.backend().elementwise().copy(src.tested(), dst.tested());
                Parity.assertExact("copy " + from + " -> " + to, dst);
                // Views are compared through their base tensors (reading a strided CUDA view back needs the
                // backend's copy).
                Pair srcT = src.map(t -> t.t()), dstBase = Parity.poisoned(to, 3, 3), dstT = dstBase.map(t -> t.t());
                Parity.cpu().elementwise().copy(srcT.cpu(), dstT.cpu());
                on.backend().elementwise().copy(srcT.tested(), dstT.tested());
                Parity.assertExact("copy transposed into transposed " + from + " -> " + to, dstBase);
            }
            Pair fBase = Parity.poisoned(from, 5, 7), f = fBase.map(t -> t.slice(1, 1, 6).t());
            Parity.cpu().elementwise().fill(f.cpu(), -2.75);
            on.backend().elementwise().fill(f.tested(), -2.75);
            Parity.assertExact("fill of a strided " + from, fBase);
        }
    }

    @ParityWithCpu
    void integerDivisionByZeroIsReported(BackendUnderTest on) {
        Pair a = Parity.of(DType.INT64, new double[] {1, 2, 3}, 3),
                b = Parity.of(DType.INT64, new double[] {1, 0, 3}, 3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> on.backend().elementwise().binary(Binary.DIV, a.tested(), b.tested(),
                        Parity.poisoned(DType.INT64, 3).tested()));
        assertEquals("div: integer division by zero", e.getMessage());
    }

    private static double[] nonZero(Pair p) {
        double[] v = Creation.toHost(p.cpu()).toDoubles();
        for (int i = 0; i < v.length; i++) if (v[i] == 0) v[i] = 7;
        return v;
    }
}

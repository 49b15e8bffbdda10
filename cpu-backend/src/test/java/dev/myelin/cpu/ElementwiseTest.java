package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** Broadcasting arithmetic: values against Math, gradients against finite differences. */
class ElementwiseTest {
    private static final double[] A = {0.7, 1.9, 2.4, 0.3, 1.1, 3.2};
    private static final double[] B = {1.3, 0.6, 2.0};

    private static Tensor a() {
        return Tensor.of(A.clone(), 2, 3).requiresGrad(true);
    }

    private static Tensor b() {
        return Tensor.of(B.clone(), 3).requiresGrad(true);
    }

    private static void checkBinary(BiFunction<Tensor, Tensor, Tensor> f, DoubleBinaryOperator ref) {
        double[] y = f.apply(Tensor.of(A, 2, 3), Tensor.of(B, 3)).toDoubleArray();
        for (int i = 0; i < A.length; i++) assertEquals(ref.applyAsDouble(A[i], B[i % 3]), y[i], 1e-14, "element " + i);
        float[] yf = f.apply(Tensor.of(A, 2, 3).to(DType.FLOAT32), Tensor.of(B, 3).to(DType.FLOAT32)).toFloatArray();
        for (int i = 0; i < A.length; i++) assertEquals(ref.applyAsDouble(A[i], B[i % 3]), yf[i], 1e-5, "float32 element " + i);
        GradCheck.check(in -> f.apply(in[0], in[1]), a(), b());
    }

    @Test
    void binaryOpsBroadcastAndDifferentiate() {
        checkBinary(Tensor::add, Double::sum);
        checkBinary(Tensor::sub, (x, y) -> x - y);
        checkBinary(Tensor::mul, (x, y) -> x * y);
        checkBinary(Tensor::div, (x, y) -> x / y);
        checkBinary(Tensor::pow, Math::pow);
        checkBinary(Tensor::maximum, Math::max);
        checkBinary(Tensor::minimum, Math::min);
    }

    @Test
    void scalarOps() {
        double[] y = Tensor.of(A, 6).rsub(10).toDoubleArray();
        for (int i = 0; i < 6; i++) assertEquals(10 - A[i], y[i], 1e-15);
        y = Tensor.of(A, 6).rdiv(2).toDoubleArray();
        for (int i = 0; i < 6; i++) assertEquals(2 / A[i], y[i], 1e-15);
        GradCheck.check(in -> in[0].mul(3).add(1).pow(2.5).rdiv(2).rsub(1).div(4).sub(2), a());
    }

    private static void checkUnary(Function<Tensor, Tensor> f, DoubleUnaryOperator ref) {
        double[] y = f.apply(Tensor.of(A, 2, 3)).toDoubleArray();
        for (int i = 0; i < A.length; i++) assertEquals(ref.applyAsDouble(A[i]), y[i], 1e-14);
        GradCheck.check(in -> f.apply(in[0]), a());
    }

    @Test
    void unaryOpsMatchMathAndDifferentiate() {
        checkUnary(Tensor::neg, v -> -v);
        checkUnary(Tensor::exp, Math::exp);
        checkUnary(Tensor::log, Math::log);
        checkUnary(Tensor::log1p, Math::log1p);
        checkUnary(Tensor::sqrt, Math::sqrt);
        checkUnary(Tensor::rsqrt, v -> 1 / Math.sqrt(v));
        checkUnary(Tensor::square, v -> v * v);
        checkUnary(Tensor::reciprocal, v -> 1 / v);
        checkUnary(Tensor::sin, Math::sin);
        checkUnary(Tensor::cos, Math::cos);
        checkUnary(x -> x.sub(1.5).abs(), v -> Math.abs(v - 1.5));
        assertArrayEquals(new double[] {-1, 0, 1}, Tensor.of(new double[] {-2, 0, 3}, 3).sign().toDoubleArray());
    }

    @Test
    void clampAndWhere() {
        assertArrayEquals(new double[] {1, 1.9, 2, 1, 1.1, 2}, Tensor.of(A, 6).clamp(1, 2).toDoubleArray(), 1e-15);
        GradCheck.check(in -> in[0].clamp(1, 2), a());
        Tensor cond = Tensor.of(new double[] {1, 0, 1}, 3);
        assertArrayEquals(new double[] {0.7, 0.6, 2.4, 0.3, 0.6, 3.2},
                Tensor.where(cond, Tensor.of(A, 2, 3), Tensor.of(B, 3)).toDoubleArray(), 1e-15);
        GradCheck.check(in -> Tensor.where(cond, in[0], in[1]), a(), b());
        assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2).clamp(3, 1));
    }

    @Test
    void comparisonsGiveZeroOrOneAndNoGraph() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor gt = x.gt(Tensor.of(new double[] {2, 2, 2}, 3));
        assertArrayEquals(new double[] {0, 0, 1}, gt.toDoubleArray());
        assertFalse(gt.requiresGrad());
        assertArrayEquals(new double[] {1, 1, 0}, x.le(2).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 0}, x.eq(2).toDoubleArray());
        assertArrayEquals(new double[] {1, 0, 1}, x.ne(2).toDoubleArray());
    }

    @Test
    void stridedAndBroadcastInputs() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor col = Tensor.of(new float[] {10, 20}, 2, 1);
        assertArrayEquals(new float[] {11, 24, 12, 25, 13, 26}, m.t().add(col.t().expand(3, 2)).toFloatArray());
        assertArrayEquals(new float[] {11, 12, 13, 24, 25, 26}, m.add(col).toFloatArray());
        assertArrayEquals(new float[] {2, 3, 4, 5, 6, 7}, m.add(Tensor.scalar(1)).toFloatArray());
    }

    @Test
    void integerArithmeticAndPromotion() {
        Tensor i = Tensor.of(new long[] {1, 2, 3}, 3);
        assertEquals(DType.INT64, i.add(i).dtype());
        assertArrayEquals(new long[] {2, 4, 6}, i.mul(2).toLongArray());
        Tensor f = i.add(Tensor.of(new float[] {0.5f, 0.5f, 0.5f}, 3));
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, f.toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> i.mul(0.5));
    }

    @Test
    void mismatchedShapesNameTheOp() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2, 3).add(Tensor.ones(4)));
        assertTrue(e.getMessage().startsWith("add: shapes [2, 3] and [4]"), e.getMessage());
    }

    @Test
    void inPlaceWritesAreRefusedOnTensorsThatRequireGrad() {
        Tensor w = Tensor.ones(3).requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> w.fill(2));
        try (var g = dev.myelin.autograd.GradMode.noGrad()) {
            w.fill(2);
        }
        assertArrayEquals(new float[] {2, 2, 2}, w.toFloatArray());
    }

    /** The float32 vector paths (contiguous, scalar, row broadcast, swapped operands) against float64. */
    @Test
    void float32VectorPathsAgreeWithFloat64() {
        dev.myelin.random.Generator.defaultGenerator().manualSeed(11);
        Tensor x = Tensor.rand(70, 37).add(0.1), row = Tensor.rand(37).add(0.5), one = Tensor.rand(1).add(0.5);
        Tensor x64 = x.to(DType.FLOAT64), row64 = row.to(DType.FLOAT64), one64 = one.to(DType.FLOAT64);
        for (var op : List.<BiFunction<Tensor, Tensor, Tensor>>of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div,
                Tensor::maximum, Tensor::minimum)) {
            assertClose(op.apply(x64, x64.exp()), op.apply(x, x.exp()));
            assertClose(op.apply(x64, row64), op.apply(x, row));
            assertClose(op.apply(row64, x64), op.apply(row, x));
            assertClose(op.apply(x64, one64), op.apply(x, one));
            assertClose(op.apply(x64.t(), x64.t()), op.apply(x.t(), x.t()));
        }
        for (var op : List.<Function<Tensor, Tensor>>of(Tensor::neg, Tensor::abs, Tensor::exp, Tensor::log, Tensor::log1p,
                Tensor::sqrt, Tensor::rsqrt, Tensor::square, Tensor::reciprocal, Tensor::sin, Tensor::cos,
                t -> t.mul(3).rsub(2).div(0.5).add(1).sub(0.25))) {
            assertClose(op.apply(x64), op.apply(x));
        }
    }

    private static void assertClose(Tensor expected64, Tensor actual32) {
        assertEquals(DType.FLOAT32, actual32.dtype());
        double[] e = expected64.toDoubleArray(), a = actual32.toDoubleArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 2e-6 * Math.max(1, Math.abs(e[i])), "element " + i);
    }
}

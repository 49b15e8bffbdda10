package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Losses.Pointwise;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.myelin.cpu.VecFloat.F;
import static dev.myelin.cpu.VecFloat.L;

/**
 * MSE and L1 on contiguous float32 tensors in float lanes: the common regression losses at vector
 * speed instead of {@link LossPointwise}'s element-by-element double loop, which the other cases
 * keep. Within an ulp of that loop's values, which round once from the exact difference: MSE
 * carries the subtraction's rounding error along (PyTorch's float kernel rounds the difference
 * first, up to 2 ulp away).
 */
final class LossDifferenceF32 {
    private LossDifferenceF32() {}

    /**
     * Whether this fast path takes the call: MSE or L1, no positive weight, all float32, contiguous
     * and of one size (anything else, bad sizes included, goes to the general loop, which checks).
     */
    static boolean applies(Pointwise kind, Tensor posWeight, Tensor... tensors) {
        return (kind == Pointwise.MSE || kind == Pointwise.L1) && posWeight == null
                && LossOperand.float32Contiguous(tensors);
    }

    /** {@code out = (x - t)^2} or {@code |x - t|}. */
    static void forward(Pointwise kind, Tensor input, Tensor target, Tensor out) {
        float[] x = CpuStorage.f32(input), t = CpuStorage.f32(target), o = CpuStorage.f32(out);
        int xo = CpuStorage.off(input), to = CpuStorage.off(target), oo = CpuStorage.off(out);
        boolean square = kind == Pointwise.MSE;
        Parallel.forRange(Math.toIntExact(out.numel()), 2, (s, e) -> {
            if (square) squares(x, xo + s, t, to + s, o, oo + s, e - s);
            else absolutes(x, xo + s, t, to + s, o, oo + s, e - s);
        });
    }

    /** {@code gradInput = g * 2 (x - t)} or {@code g * signum(x - t)}. */
    static void backward(Pointwise kind, Tensor input, Tensor target, Tensor gradOut, Tensor gradInput) {
        float[] x = CpuStorage.f32(input), t = CpuStorage.f32(target);
        float[] g = CpuStorage.f32(gradOut), gx = CpuStorage.f32(gradInput);
        int xo = CpuStorage.off(input), to = CpuStorage.off(target), go = CpuStorage.off(gradOut);
        int gxo = CpuStorage.off(gradInput);
        boolean square = kind == Pointwise.MSE;
        Parallel.forRange(Math.toIntExact(gradInput.numel()), 2, (s, e) -> {
            if (square) squareGrads(x, xo + s, t, to + s, g, go + s, gx, gxo + s, e - s);
            else absoluteGrads(x, xo + s, t, to + s, g, go + s, gx, gxo + s, e - s);
        });
    }

    /**
     * (x - t)^2 from the rounded difference d and its exact error e (Knuth's TwoSum: x - t = d + e),
     * as d^2 + 2de in one fma: the square of the exact difference, rounded about once, as the
     * double loop's.
     */
    private static void squares(float[] x, int xo, float[] t, int to, float[] o, int oo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector a = FloatVector.fromArray(F, x, xo + i, m), b = FloatVector.fromArray(F, t, to + i, m).neg();
            FloatVector d = a.add(b), correction = d.add(d).mul(roundingError(a, b, d));
            // inf * 0 where d is infinite: the square is d's alone.
            d.fma(d, correction.blend(0f, correction.compare(VectorOperators.NE, correction))).intoArray(o, oo + i, m);
        }
    }

    /**
     * The exact error of d = a + b (Knuth's TwoSum), 0 where d is infinite or NaN (the value is
     * then d's anyway). Small enough for C2 to inline into the loops.
     */
    private static FloatVector roundingError(FloatVector a, FloatVector b, FloatVector d) {
        FloatVector bb = d.sub(a), e = a.sub(d.sub(bb)).add(b.sub(bb));
        return e.blend(0f, e.compare(VectorOperators.NE, e));
    }

    private static void absolutes(float[] x, int xo, float[] t, int to, float[] o, int oo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector.fromArray(F, x, xo + i, m).sub(FloatVector.fromArray(F, t, to + i, m)).abs().intoArray(o, oo + i, m);
        }
    }

    /** g * 2 (x - t) with the exact difference d + e, as in {@link #squares}: 2g d + 2g e in one fma. */
    private static void squareGrads(float[] x, int xo, float[] t, int to, float[] g, int go, float[] gx, int gxo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector a = FloatVector.fromArray(F, x, xo + i, m), b = FloatVector.fromArray(F, t, to + i, m).neg();
            FloatVector d = a.add(b), e = roundingError(a, b, d);
            FloatVector g2 = FloatVector.fromArray(F, g, go + i, m).mul(2f);
            // Where the difference is exact, the plain product (which also keeps the sign of a zero).
            g2.fma(d, g2.mul(e)).blend(g2.mul(d), e.compare(VectorOperators.EQ, 0f)).intoArray(gx, gxo + i, m);
        }
    }

    private static void absoluteGrads(float[] x, int xo, float[] t, int to, float[] g, int go, float[] gx, int gxo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f), minusOne = one.neg();
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector d = FloatVector.fromArray(F, x, xo + i, m).sub(FloatVector.fromArray(F, t, to + i, m));
            // Math.signum: +-0 and NaN stay as they are.
            FloatVector sign = d.blend(one, d.compare(VectorOperators.GT, 0f)).blend(minusOne, d.compare(VectorOperators.LT, 0f));
            FloatVector.fromArray(F, g, go + i, m).mul(sign).intoArray(gx, gxo + i, m);
        }
    }
}

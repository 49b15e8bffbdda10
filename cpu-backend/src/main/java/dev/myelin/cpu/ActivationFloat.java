package dev.myelin.cpu;

import dev.myelin.backend.Activations.Kind;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.myelin.cpu.VecFloat.F;
import static dev.myelin.cpu.VecFloat.L;

/**
 * Float32 activations on contiguous runs. RELU, LEAKY_RELU, SIGMOID, TANH and SILU run in vector
 * lanes (masked to the end, so no element depends on its position; exp and tanh from
 * {@link VecMath}, which give the same bits before and after JIT compilation); the GELUs go element by
 * element through {@link ActivationMath} in double, which needs an erf the Vector API lacks.
 * Each kind's loop is a method of its own: inlined together into one switch, the exp-based loops
 * exceed C2's inlining budget, and a vector passed to a call that was not inlined is boxed on the heap.
 */
final class ActivationFloat {
    private ActivationFloat() {}

    /** {@code y = f(x)} element by element (y may be x itself). */
    static void forward(Kind kind, float p, float[] x, int xo, float[] y, int yo, int n) {
        switch (kind) {
            case RELU -> reluForward(x, xo, y, yo, n);
            case LEAKY_RELU -> leakyReluForward(p, x, xo, y, yo, n);
            case SIGMOID -> sigmoidForward(x, xo, y, yo, n);
            case TANH -> tanhForward(x, xo, y, yo, n);
            case SILU -> siluForward(x, xo, y, yo, n);
            case GELU, GELU_TANH -> {
                for (int i = 0; i < n; i++) y[yo + i] = (float) ActivationMath.forward(kind, p, x[xo + i]);
            }
        }
    }

    /**
     * {@code gx = g * f'(x)}, from x or from the output y as {@link ActivationMath#backward} does.
     * Element by element, so gx may be x itself (the same array and offset).
     */
    static void backward(Kind kind, float p, float[] x, int xo, float[] y, int yo, float[] g, int go,
                         float[] gx, int gxo, int n) {
        switch (kind) {
            case RELU -> reluBackward(x, xo, g, go, gx, gxo, n);
            case LEAKY_RELU -> leakyReluBackward(p, x, xo, g, go, gx, gxo, n);
            case SIGMOID -> sigmoidBackward(y, yo, g, go, gx, gxo, n);
            case TANH -> tanhBackward(y, yo, g, go, gx, gxo, n);
            case SILU -> siluBackward(x, xo, g, go, gx, gxo, n);
            case GELU, GELU_TANH -> {
                for (int i = 0; i < n; i++) {
                    gx[gxo + i] = (float) ActivationMath.backward(kind, p, x[xo + i], y[yo + i], g[go + i]);
                }
            }
        }
    }

    private static void reluForward(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector.fromArray(F, x, xo + i, m).max(zero).intoArray(y, yo + i, m);
        }
    }

    private static void leakyReluForward(float p, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, m);
            v.mul(p).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i, m);
        }
    }

    private static void sigmoidForward(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, m);
            one.div(one.add(VecMath.exp(v.neg()))).intoArray(y, yo + i, m);
        }
    }

    private static void tanhForward(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            VecMath.tanh(FloatVector.fromArray(F, x, xo + i, m)).intoArray(y, yo + i, m);
        }
    }

    private static void siluForward(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, m);
            v.div(one.add(VecMath.exp(v.neg()))).intoArray(y, yo + i, m);
        }
    }

    private static void reluBackward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int n) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
            zero.blend(d, v.compare(VectorOperators.GT, 0f)).intoArray(gx, gxo + i, m);
        }
    }

    private static void leakyReluBackward(float p, float[] x, int xo, float[] g, int go, float[] gx, int gxo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
            d.mul(p).blend(d, v.compare(VectorOperators.GT, 0f)).intoArray(gx, gxo + i, m);
        }
    }

    private static void sigmoidBackward(float[] y, int yo, float[] g, int go, float[] gx, int gxo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector s = FloatVector.fromArray(F, y, yo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
            d.mul(one.sub(s)).mul(s).intoArray(gx, gxo + i, m);
        }
    }

    private static void tanhBackward(float[] y, int yo, float[] g, int go, float[] gx, int gxo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector t = FloatVector.fromArray(F, y, yo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
            d.mul(one.sub(t.mul(t))).intoArray(gx, gxo + i, m);
        }
    }

    private static void siluBackward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
            FloatVector s = one.div(one.add(VecMath.exp(v.neg())));
            d.mul(s).mul(one.add(v.mul(one.sub(s)))).intoArray(gx, gxo + i, m);
        }
    }
}

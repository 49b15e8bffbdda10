package dev.myelin.cpu;

import dev.myelin.backend.Activations.Kind;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.myelin.cpu.VecFloat.F;
import static dev.myelin.cpu.VecFloat.L;

/**
 * Float32 activations on contiguous runs. RELU, LEAKY_RELU, SIGMOID, TANH and SILU run in vector
 * lanes (masked to the end, so no element depends on its position); the GELUs go element by
 * element through {@link ActivationMath} in double, which needs an erf the Vector API lacks.
 */
final class ActivationFloat {
    private ActivationFloat() {}

    static void forward(Kind kind, float p, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        switch (kind) {
            case RELU -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector.fromArray(F, x, xo + i, m).max(zero).intoArray(y, yo + i, m);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector v = FloatVector.fromArray(F, x, xo + i, m);
                    v.mul(p).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yo + i, m);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector v = FloatVector.fromArray(F, x, xo + i, m);
                    one.div(one.add(v.neg().lanewise(VectorOperators.EXP))).intoArray(y, yo + i, m);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector.fromArray(F, x, xo + i, m).lanewise(VectorOperators.TANH).intoArray(y, yo + i, m);
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector v = FloatVector.fromArray(F, x, xo + i, m);
                    v.div(one.add(v.neg().lanewise(VectorOperators.EXP))).intoArray(y, yo + i, m);
                }
            }
            case GELU, GELU_TANH -> {
                for (int i = 0; i < n; i++) y[yo + i] = (float) ActivationMath.forward(kind, p, x[xo + i]);
            }
        }
    }

    /** {@code gx = g * f'(x)}, from x or from the output y as {@link ActivationMath#backward} does. */
    static void backward(Kind kind, float p, float[] x, int xo, float[] y, int yo, float[] g, int go,
                         float[] gx, int gxo, int n) {
        FloatVector zero = FloatVector.zero(F), one = FloatVector.broadcast(F, 1f);
        switch (kind) {
            case RELU -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector v = FloatVector.fromArray(F, x, xo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
                    zero.blend(d, v.compare(VectorOperators.GT, 0f)).intoArray(gx, gxo + i, m);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector v = FloatVector.fromArray(F, x, xo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
                    d.mul(p).blend(d, v.compare(VectorOperators.GT, 0f)).intoArray(gx, gxo + i, m);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector s = FloatVector.fromArray(F, y, yo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
                    d.mul(one.sub(s)).mul(s).intoArray(gx, gxo + i, m);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector t = FloatVector.fromArray(F, y, yo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
                    d.mul(one.sub(t.mul(t))).intoArray(gx, gxo + i, m);
                }
            }
            case SILU -> {
                for (int i = 0; i < n; i += L) {
                    VectorMask<Float> m = F.indexInRange(i, n);
                    FloatVector v = FloatVector.fromArray(F, x, xo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
                    FloatVector s = one.div(one.add(v.neg().lanewise(VectorOperators.EXP)));
                    d.mul(s).mul(one.add(v.mul(one.sub(s)))).intoArray(gx, gxo + i, m);
                }
            }
            case GELU, GELU_TANH -> {
                for (int i = 0; i < n; i++) {
                    gx[gxo + i] = (float) ActivationMath.backward(kind, p, x[xo + i], y[yo + i], g[go + i]);
                }
            }
        }
    }
}

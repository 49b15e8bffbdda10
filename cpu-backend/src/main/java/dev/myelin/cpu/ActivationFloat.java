package dev.myelin.cpu;

import dev.myelin.backend.Activations.Kind;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.myelin.cpu.VecFloat.F;
import static dev.myelin.cpu.VecFloat.L;

/**
 * Float32 activations on contiguous runs: in vector lanes masked to the end (so no element depends
 * on its position) for the kinds with a loop here, with exp, tanh and erf from {@link VecMath}, which
 * give the same bits before and after JIT compilation; any other kind element by element through
 * {@link ActivationMath} in double. Each kind's loop is a method of its own: inlined together into
 * one switch, the exp-based loops exceed C2's inlining budget, and a vector passed to a call that
 * was not inlined is boxed on the heap.
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
            case GELU -> geluForward(x, xo, y, yo, n);
            case GELU_TANH -> geluTanhForward(x, xo, y, yo, n);
            default -> scalarForward(kind, p, x, xo, y, yo, n);
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
            case GELU -> geluBackward(x, xo, g, go, gx, gxo, n);
            case GELU_TANH -> geluTanhBackward(x, xo, g, go, gx, gxo, n);
            default -> scalarBackward(kind, p, x, xo, y, yo, g, go, gx, gxo, n);
        }
    }

    /**
     * {@code y = f(x)} and {@code dydx = f'(x)}: the bits of {@link #forward} and of {@link #backward}
     * with a gradient of ones. GELU in one pass, which computes erf once for both; any other kind
     * through those two, a block of ones at a time.
     */
    static void forwardWithDerivative(Kind kind, float p, float[] x, int xo, float[] y, int yo, float[] dydx, int dyo,
                                      int n) {
        if (kind == Kind.GELU) {
            geluWithDerivative(x, xo, y, yo, dydx, dyo, n);
            return;
        }
        float[] ones = new float[Math.min(n, ERF_BLOCK)];
        java.util.Arrays.fill(ones, 1f);
        forward(kind, p, x, xo, y, yo, n);
        for (int b = 0; b < n; b += ERF_BLOCK) {
            int len = Math.min(ERF_BLOCK, n - b);
            backward(kind, p, x, xo + b, y, yo + b, ones, 0, dydx, dyo + b, len);
        }
    }

    /**
     * A kind without a vector loop of its own: {@link ActivationMath}'s double formula, rounded once to
     * float. Correct for every kind (a vector loop above is a speed-up, not a requirement).
     */
    private static void scalarForward(Kind kind, float p, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] = (float) ActivationMath.forward(kind, p, x[xo + i]);
    }

    private static void scalarBackward(Kind kind, float p, float[] x, int xo, float[] y, int yo, float[] g, int go,
                                       float[] gx, int gxo, int n) {
        for (int i = 0; i < n; i++) {
            gx[gxo + i] = (float) ActivationMath.backward(kind, p, x[xo + i], y[yo + i], g[go + i]);
        }
    }

    /**
     * Whole vectors, then scalars: masked loads had ReLU's backward in the Vector API's slow checks (JFR).
     * Zero where x <= 0 by compare and blend, the values of max(x, 0) (NaN stays NaN, -0 gives 0): C2's
     * vector max adds NaN and signed-zero fixes that cost more than the rest of the loop.
     */
    private static void reluForward(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int whole = F.loopBound(n); i < whole; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i);
            v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = Math.max(x[xo + i], 0f);
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

    private static final float SQRT1_2 = (float) Math.sqrt(0.5), INV_SQRT_2PI = (float) (1 / Math.sqrt(2 * Math.PI));
    private static final float GELU_TANH_BETA = (float) Math.sqrt(2 / Math.PI), GELU_TANH_KAPPA = 0.044715f;

    /** Elements per block of the exact GELU: its erf goes into a scratch block first (x may be y). */
    private static final int ERF_BLOCK = 1024;

    /**
     * x * 0.5 * (1 + erf(x / sqrt 2)), PyTorch's order of operations. The loops after erf run on whole
     * vectors and finish in scalars: a masked loop spent a fifth of the GELU's time making its masks.
     */
    private static void geluForward(float[] x, int xo, float[] y, int yo, int n) {
        float[] erf = new float[Math.min(n, ERF_BLOCK)];
        for (int b = 0; b < n; b += ERF_BLOCK) {
            int len = Math.min(ERF_BLOCK, n - b), whole = F.loopBound(len), i = 0;
            VecMath.erf(x, xo + b, SQRT1_2, erf, 0, null, 0, len);
            for (; i < whole; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xo + b + i);
                v.mul(0.5f).mul(FloatVector.fromArray(F, erf, i).add(1f)).intoArray(y, yo + b + i);
            }
            for (; i < len; i++) y[yo + b + i] = x[xo + b + i] * 0.5f * (erf[i] + 1f);
        }
    }

    /**
     * The GELU and its derivative, as {@link #geluForward} and {@link #geluBackward} (with g = 1)
     * compute them, in one loop without their scratch blocks: erf and e^(-x^2/2) straight from
     * VecMath's near pieces (their bits), and through VecMath.erf's arrays for a vector with a lane
     * beyond them, or the end that does not fill a vector.
     */
    private static void geluWithDerivative(float[] x, int xo, float[] y, int yo, float[] dydx, int dyo, int n) {
        float[] erf = new float[L], gauss = new float[L];
        int whole = F.loopBound(n), i = 0;
        for (; i < whole; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i), u = v.mul(SQRT1_2), a = u.abs(), z = a.mul(a);
            FloatVector e, g;
            if (VecMath.near(a)) {
                g = VecMath.gaussianNear(a, z);
                e = VecMath.erfNear(u, a, z);
            } else {
                VecMath.erf(x, xo + i, SQRT1_2, erf, 0, gauss, 0, L);
                e = FloatVector.fromArray(F, erf, 0);
                g = FloatVector.fromArray(F, gauss, 0);
            }
            v.mul(0.5f).mul(e.add(1f)).intoArray(y, yo + i);
            v.fma(g.mul(INV_SQRT_2PI), e.add(1f).mul(0.5f)).intoArray(dydx, dyo + i);
        }
        VecMath.erf(x, xo + i, SQRT1_2, erf, 0, gauss, 0, n - i);
        for (int t = 0; i < n; i++, t++) {
            float v = x[xo + i];
            y[yo + i] = v * 0.5f * (erf[t] + 1f);
            dydx[dyo + i] = Math.fma(v, gauss[t] * INV_SQRT_2PI, (erf[t] + 1f) * 0.5f);
        }
    }

    /** 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))). */
    private static void geluTanhForward(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, m);
            FloatVector inner = v.mul(GELU_TANH_KAPPA).mul(v).mul(v).add(v).mul(GELU_TANH_BETA);
            v.mul(0.5f).mul(VecMath.tanh(inner).add(1f)).intoArray(y, yo + i, m);
        }
    }

    /** g * (cdf(x) + x * pdf(x)) of the standard normal; pdf from the e^(-x^2 / 2) that erf computes. */
    private static void geluBackward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int n) {
        float[] erf = new float[Math.min(n, ERF_BLOCK)], gauss = new float[erf.length];
        for (int b = 0; b < n; b += ERF_BLOCK) {
            int len = Math.min(ERF_BLOCK, n - b), whole = F.loopBound(len), i = 0;
            VecMath.erf(x, xo + b, SQRT1_2, erf, 0, gauss, 0, len);
            for (; i < whole; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, xo + b + i), d = FloatVector.fromArray(F, g, go + b + i);
                FloatVector cdf = FloatVector.fromArray(F, erf, i).add(1f).mul(0.5f);
                FloatVector pdf = FloatVector.fromArray(F, gauss, i).mul(INV_SQRT_2PI);
                d.mul(v.fma(pdf, cdf)).intoArray(gx, gxo + b + i);
            }
            for (; i < len; i++) {
                float cdf = (erf[i] + 1f) * 0.5f, pdf = gauss[i] * INV_SQRT_2PI;
                gx[gxo + b + i] = g[go + b + i] * Math.fma(x[xo + b + i], pdf, cdf);
            }
        }
    }

    /** The tanh GELU's derivative, as PyTorch writes it. */
    private static void geluTanhBackward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
            FloatVector x2 = v.mul(v);
            FloatVector t = VecMath.tanh(x2.mul(GELU_TANH_KAPPA).mul(v).add(v).mul(GELU_TANH_BETA));
            FloatVector left = v.mul(0.5f), right = t.add(1f);
            FloatVector dRight = left.mul(one.sub(t.mul(t))).mul(GELU_TANH_BETA)
                    .mul(x2.mul(3 * GELU_TANH_KAPPA).add(1f));
            d.mul(right.mul(0.5f).add(dRight)).intoArray(gx, gxo + i, m);
        }
    }

    private static void reluBackward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int n) {
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (int whole = F.loopBound(n); i < whole; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i), d = FloatVector.fromArray(F, g, go + i);
            zero.blend(d, v.compare(VectorOperators.GT, 0f)).intoArray(gx, gxo + i);
        }
        for (; i < n; i++) gx[gxo + i] = x[xo + i] > 0 ? g[go + i] : 0f;
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

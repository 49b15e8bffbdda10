package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, log, tanh and erf of float lanes, built only from IEEE-exact operations (add, multiply,
 * fma, bit moves), so that a lane gives the same bits in the interpreter, in C1 and in C2. The
 * Vector API's own {@code lanewise(EXP)} does not: compiled by C2 it calls an intrinsic whose last
 * bit differs from the interpreter's Math.exp for some inputs, so results would change part way
 * through a run, when the JIT compiles the kernel, and a seed would not fix a run. Cephes' single
 * precision polynomials for exp, log and tanh (within an ulp of Math's); for erf the leading
 * terms of {@link ActivationMath#erf}'s Chebyshev series, turned into plain polynomials.
 */
final class VecMath {
    private VecMath() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Below this exp rounds to 0 and above it to infinity: the clamp keeps n in range. */
    private static final float EXP_LO = -104f, EXP_HI = 89f;
    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer, held in the low bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = 0x4B400000;
    /** ln 2 in two parts (Cody and Waite), the first exact in few bits so that n * LN2_HI is exact. */
    private static final FloatVector MINUS_LN2_HI = FloatVector.broadcast(F, -0.693359375f);
    private static final FloatVector MINUS_LN2_LO = FloatVector.broadcast(F, 2.12194440e-4f);
    private static final FloatVector E3 = FloatVector.broadcast(F, 8.3334519073e-3f);
    private static final FloatVector E4 = FloatVector.broadcast(F, 4.1665795894e-2f);
    private static final FloatVector E5 = FloatVector.broadcast(F, 1.6666665459e-1f);
    private static final FloatVector E6 = FloatVector.broadcast(F, 5.0000001201e-1f);

    /** e^x lane by lane (x of the preferred species): NaN stays NaN, -inf gives 0, +inf gives +inf. */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector shifted = xc.fma(LOG2E, ROUND);
        FloatVector n = shifted.sub(ROUND);
        FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, xc));
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f).fma(r, E3).fma(r, E4).fma(r, E5).fma(r, E6);
        FloatVector y = p.fma(r.mul(r), r.add(1f));
        // 2^n as two factors 2^h and 2^(n-h), each a normal float for n in [-150, 128], so that
        // only the last product rounds (into the subnormals, or to infinity).
        IntVector ni = shifted.reinterpretAsInts().sub(ROUND_BITS);
        IntVector h = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector first = h.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector second = ni.sub(h).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(first).mul(second);
    }

    private static final float TANH_SMALL = 0.625f;
    private static final FloatVector T3 = FloatVector.broadcast(F, -5.37397155531e-2f);
    private static final FloatVector T4 = FloatVector.broadcast(F, 1.33314422036e-1f);
    private static final FloatVector T5 = FloatVector.broadcast(F, -3.33332819422e-1f);
    private static final FloatVector ONE = FloatVector.broadcast(F, 1f), TWO = FloatVector.broadcast(F, 2f);

    /** tanh lane by lane (x of the preferred species), with the sign of x (-0 stays -0). */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs(), z = a.mul(a);
        FloatVector p = z.fma(-5.70498872745e-3f, 2.06390887954e-2f).fma(z, T3).fma(z, T4).fma(z, T5);
        FloatVector small = a.mul(z).fma(p, a);
        // 1 - 2 / (e^(2a) + 1): no cancellation for a >= 0.625; e^(2a) = inf gives exactly 1.
        FloatVector large = ONE.sub(TWO.div(exp(a.add(a)).add(1f)));
        FloatVector magnitude = large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL));
        return magnitude.reinterpretAsInts().or(x.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats();
    }

    private static final FloatVector L2 = FloatVector.broadcast(F, 1.1676998740e-1f);
    private static final FloatVector L3 = FloatVector.broadcast(F, -1.2420140846e-1f);
    private static final FloatVector L4 = FloatVector.broadcast(F, 1.4249322787e-1f);
    private static final FloatVector L5 = FloatVector.broadcast(F, -1.6668057665e-1f);
    private static final FloatVector L6 = FloatVector.broadcast(F, 2.0000714765e-1f);
    private static final FloatVector L7 = FloatVector.broadcast(F, -2.4999993993e-1f);
    private static final FloatVector L8 = FloatVector.broadcast(F, 3.3333331174e-1f);
    private static final float SQRT_HALF = 0.70710678118654752440f, TWO_POW_23 = 8388608f;

    /**
     * {@code out = log(x)} over n elements, within an ulp: x = m 2^e with m in [sqrt(1/2), sqrt(2)),
     * then Cephes' polynomial in m - 1. 0 gives -inf, negatives and NaN give NaN, +inf gives +inf;
     * subnormals are scaled by 2^23 first. An array loop, as {@link #erf}: compiled on its own
     * first, a function of one vector this size is not inlined, and its vectors are then boxed.
     */
    static void log(float[] x, int xo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> lanes = F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(F, x, xo + i, lanes);
            VectorMask<Float> subnormal = v.compare(VectorOperators.LT, Float.MIN_NORMAL);
            IntVector bits = v.blend(v.mul(TWO_POW_23), subnormal).reinterpretAsInts();
            // The exponent of a mantissa in [0.5, 1), less 23 for a scaled subnormal, less 1 below sqrt(1/2).
            FloatVector m = bits.and(0x807FFFFF).or(0x3F000000).reinterpretAsFloats();
            VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
            IntVector e = bits.lanewise(VectorOperators.LSHR, 23).sub(126)
                    .sub(IntVector.zero(bits.species()).blend(23, subnormal.cast(bits.species())))
                    .sub(IntVector.zero(bits.species()).blend(1, low.cast(bits.species())));
            m = m.add(m.blend(FloatVector.zero(F), low.not())).sub(1f);  // 2m - 1 below sqrt(1/2), else m - 1
            FloatVector fe = (FloatVector) e.convert(VectorOperators.I2F, 0);
            FloatVector z = m.mul(m);
            FloatVector p = m.fma(7.0376836292e-2f, -1.1514610310e-1f).fma(m, L2).fma(m, L3).fma(m, L4).fma(m, L5)
                    .fma(m, L6).fma(m, L7).fma(m, L8);
            FloatVector y = m.mul(z).mul(p).add(fe.mul(-2.12194440e-4f)).sub(z.mul(0.5f));
            FloatVector r = m.add(y).add(fe.mul(0.693359375f));
            r = r.blend(Float.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0f));
            r = r.blend(Float.NaN, v.compare(VectorOperators.LT, 0f));
            r = r.blend(v, v.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY).or(v.compare(VectorOperators.NE, v)));
            r.intoArray(out, oo + i, lanes);
        }
    }

    /**
     * ActivationMath's series cut where their terms drop below 2e-9, a thirtieth of a float's ulp
     * at 1: erf(a)/a in 2a^2 - 1 on [0, 1), then e^(a^2) erfc(a) on [1, 2), [2, 3) and [3, 4.5),
     * each in t = (2a - lo - hi) / (hi - lo).
     */
    private static final int SERIES_TERMS = 9;
    private static final float[][] ERF_SERIES = {
        leading(ActivationMath.ERF_SMALL, 7), leading(ActivationMath.ERFC_0, 9), leading(ActivationMath.ERFC_1, 8),
        leading(ActivationMath.ERFC_2, 8)};

    /**
     * The first terms of a Chebyshev series, as the coefficients of the same polynomial in powers
     * of t, padded with zeros to {@link #SERIES_TERMS} so that the four pieces share one loop.
     */
    private static float[] leading(double[] chebyshev, int terms) {
        double[] power = new double[terms], previous = new double[terms], current = new double[terms];
        previous[0] = 1;  // T_0
        if (terms > 1) current[1] = 1;  // T_1
        for (int k = 0; k < terms; k++) {
            double[] tk = k == 0 ? previous : current;
            for (int j = 0; j < terms; j++) power[j] += chebyshev[k] * tk[j];
            if (k >= 1 && k + 1 < terms) {
                double[] next = new double[terms];  // T_(k+1) = 2t T_k - T_(k-1)
                for (int j = 0; j < terms; j++) next[j] = (j > 0 ? 2 * current[j - 1] : 0) - previous[j];
                previous = current;
                current = next;
            }
        }
        float[] f = new float[SERIES_TERMS];
        for (int j = 0; j < terms; j++) f[j] = (float) power[j];
        return f;
    }

    /**
     * {@code out = erf(scale * x)} over n elements, within 3 ulp; 1 from 4.5 on, where float erf is
     * 1. Array loops rather than a function of one vector, and two of them: a vector passed to a
     * call that C2 does not inline is boxed on the heap, and one loop with the four series and exp
     * passes C2's inlining budget.
     */
    static void erf(float[] x, int xo, float scale, float[] out, int oo, int n) {
        erfSeries(x, xo, scale, out, oo, n);
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> lanes = F.indexInRange(i, n);
            FloatVector u = FloatVector.fromArray(F, x, xo + i, lanes).mul(scale), a = u.abs();
            FloatVector series = FloatVector.fromArray(F, out, oo + i, lanes);
            // 1 - e^(-a^2) * e^(a^2) erfc(a) from 1 on, with a^2 split into its float and the exact
            // remainder so that its rounding does not count.
            FloatVector square = a.mul(a), remainder = a.fma(a, square.neg());
            FloatVector decay = exp(square.neg()).mul(ONE.sub(remainder));
            FloatVector r = ONE.sub(decay.mul(series)).blend(a.mul(series), a.compare(VectorOperators.LT, 1f));
            // 1 from 4.5 on (also for a = inf, where the remainder is NaN); NaN stays NaN.
            r = r.blend(ONE, a.compare(VectorOperators.GE, 4.5f)).blend(a, a.compare(VectorOperators.NE, a));
            r.reinterpretAsInts().or(u.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats()
                    .intoArray(out, oo + i, lanes);
        }
    }

    /**
     * For a = |scale * x|, the series of a's piece: erf(a)/a below 1, then e^(a^2) erfc(a) on
     * [1, 2), [2, 3) and [3, 4.5); 0 from 4.5 on.
     */
    private static void erfSeries(float[] x, int xo, float scale, float[] out, int oo, int n) {
        float[] c0 = ERF_SERIES[0], c1 = ERF_SERIES[1], c2 = ERF_SERIES[2], c3 = ERF_SERIES[3];
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> lanes = F.indexInRange(i, n);
            FloatVector a = FloatVector.fromArray(F, x, xo + i, lanes).mul(scale).abs();
            // Every piece on every lane, then a blend: a branch on which pieces a vector needs would
            // recompile the loop each time a rare piece first turns up. The four
            // Horner chains advance together, so that their fma latencies overlap.
            FloatVector t0 = a.mul(a).mul(2f).sub(1f), t1 = a.add(a).sub(3f), t2 = a.add(a).sub(5f);
            FloatVector t3 = a.mul(4f / 3).sub(5f);
            FloatVector p0 = FloatVector.zero(F), p1 = p0, p2 = p0, p3 = p0;
            for (int k = SERIES_TERMS - 1; k >= 0; k--) {
                p0 = p0.fma(t0, FloatVector.broadcast(F, c0[k]));
                p1 = p1.fma(t1, FloatVector.broadcast(F, c1[k]));
                p2 = p2.fma(t2, FloatVector.broadcast(F, c2[k]));
                p3 = p3.fma(t3, FloatVector.broadcast(F, c3[k]));
            }
            FloatVector r = FloatVector.zero(F).blend(p3, a.compare(VectorOperators.LT, 4.5f))
                    .blend(p2, a.compare(VectorOperators.LT, 3f)).blend(p1, a.compare(VectorOperators.LT, 2f))
                    .blend(p0, a.compare(VectorOperators.LT, 1f));
            r.intoArray(out, oo + i, lanes);
        }
    }
}

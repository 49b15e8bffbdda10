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
 * precision polynomials for exp, log and tanh (within an ulp of Math's); for erf two polynomials
 * fitted for float by scripts/fit-erf-float.py (within 2 ulp of {@link ActivationMath#erf}).
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
        // compare and blend, not max and min: C2's max/min add NaN and signed-zero fixes, a third of exp's time.
        FloatVector xc = x.blend(EXP_LO, x.compare(VectorOperators.LT, EXP_LO))
                .blend(EXP_HI, x.compare(VectorOperators.GT, EXP_HI));
        FloatVector shifted = xc.fma(LOG2E, ROUND);
        FloatVector y = expReduced(xc, shifted);
        // 2^n as two factors 2^h and 2^(n-h), each a normal float for n in [-150, 128], so that
        // only the last product rounds (into the subnormals, or to infinity).
        IntVector ni = shifted.reinterpretAsInts().sub(ROUND_BITS);
        IntVector h = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector first = h.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector second = ni.sub(h).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(first).mul(second);
    }

    /**
     * exp's bits for x in [-87, 88], where e^x and 2^n are normal floats: no clamp, and 2^n as one
     * factor (a product by a power of two is exact either way).
     */
    private static FloatVector expNormal(FloatVector x) {
        FloatVector shifted = x.fma(LOG2E, ROUND);
        // n sits in shifted's low bits: n + 127 shifted into the exponent field is 2^n.
        FloatVector twoToN = shifted.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        return expReduced(x, shifted).mul(twoToN);
    }

    /** e^r for r = x - n ln 2, n = shifted - ROUND (|r| <= ln 2 / 2), by Cephes' polynomial. */
    private static FloatVector expReduced(FloatVector x, FloatVector shifted) {
        FloatVector n = shifted.sub(ROUND);
        FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, x));
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f).fma(r, E3).fma(r, E4).fma(r, E5).fma(r, E6);
        return p.fma(r.mul(r), r.add(1f));
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

    /** erf(a)/a = 2/sqrt(pi) + z (S1 + z (S2 + ... z S6)), z = a^2, on [0, 1); 2/sqrt(pi) in two floats. */
    private static final FloatVector TWO_OVER_SQRT_PI = FloatVector.broadcast(F, 1.1283792257e+00f);
    private static final FloatVector TWO_OVER_SQRT_PI_LO = FloatVector.broadcast(F, -5.8635382771e-08f);
    private static final FloatVector S1 = FloatVector.broadcast(F, -3.7612628937e-01f);
    private static final FloatVector S2 = FloatVector.broadcast(F, 1.1283634603e-01f);
    private static final FloatVector S3 = FloatVector.broadcast(F, -2.6856070384e-02f);
    private static final FloatVector S4 = FloatVector.broadcast(F, 5.1929596812e-03f);
    /** e^(a^2) erfc(a) on [1, 4), in t = (2a - 5) / 3, as Q0 + t (Q1 + t (... t Q8)). */
    private static final FloatVector Q0 = FloatVector.broadcast(F, 2.1080735326e-01f);
    private static final FloatVector Q1 = FloatVector.broadcast(F, -1.1151769012e-01f);
    private static final FloatVector Q2 = FloatVector.broadcast(F, 5.6043479592e-02f);
    private static final FloatVector Q3 = FloatVector.broadcast(F, -2.7420200408e-02f);
    private static final FloatVector Q4 = FloatVector.broadcast(F, 1.1882407591e-02f);
    private static final FloatVector Q5 = FloatVector.broadcast(F, -4.5346897095e-03f);
    private static final FloatVector Q6 = FloatVector.broadcast(F, 6.6774999723e-03f);
    /** erfc(a) on [1, 3), in c = a - 2 (exact there), as M0 + c (M1 + c (... c M12)). */
    private static final FloatVector M0 = FloatVector.broadcast(F, 4.6777348034e-03f);
    private static final FloatVector M1 = FloatVector.broadcast(F, -2.0667014644e-02f);
    private static final FloatVector M2 = FloatVector.broadcast(F, 4.1333988309e-02f);
    private static final FloatVector M3 = FloatVector.broadcast(F, -4.8222068697e-02f);
    private static final FloatVector M4 = FloatVector.broadcast(F, 3.4444678575e-02f);
    private static final FloatVector M5 = FloatVector.broadcast(F, -1.3096783310e-02f);
    private static final FloatVector M6 = FloatVector.broadcast(F, -4.5731515274e-04f);
    private static final FloatVector M7 = FloatVector.broadcast(F, 3.4071588889e-03f);
    private static final FloatVector M8 = FloatVector.broadcast(F, -1.5971940011e-03f);
    private static final FloatVector M9 = FloatVector.broadcast(F, -6.1400459117e-07f);
    private static final FloatVector M10 = FloatVector.broadcast(F, 2.7307451819e-04f);
    /** Where the polynomial pieces end and 1 - e^(-a^2) q(a) takes over. */
    private static final float ERF_FAR = 3f;
    /** From here on float erf is 1 (erfc(4) = 1.5e-8 is a quarter of an ulp below 1). */
    private static final float ERF_ONE = 4f;

    /**
     * {@code out = erf(scale * x)} over n elements, within 2 ulp of the float nearest erf; 1 from 4
     * on. With {@code gauss} not null it also gets e^(-(scale x)^2), which a derivative of erf needs
     * (the GELU's). Three pieces, fitted to float (scripts/fit-erf-float.py): erf(a)/a, a polynomial
     * of degree 6 in a^2, below 1; 1 - erfc(a), erfc a polynomial of degree 12 in a - 2, below 3;
     * then 1 - e^(-a^2) q(a), q a polynomial of degree 8 in a fitted for the error in erf (weighted
     * by erfc). A vector whose lanes all lie below 3 (all but 1 in 3000 of a standard normal
     * sample's) needs neither e^(-a^2) nor q; one with a lane beyond is rewritten where a is at or
     * beyond 3, so no lane depends on its neighbours. An array loop, not a function of one vector: a
     * vector passed to a call that C2 does not inline is boxed on the heap. The end that does not
     * fill a vector goes through the same loop from a padded copy, so that the loop needs no masks.
     */
    static void erf(float[] x, int xo, float scale, float[] out, int oo, float[] gauss, int go, int n) {
        int full = F.loopBound(n);
        erfLanes(x, xo, scale, out, oo, gauss, go, full);
        if (full == n) return;
        int rest = n - full;
        float[] tail = new float[F.length()], tailOut = new float[F.length()];
        float[] tailGauss = gauss == null ? null : new float[F.length()];
        System.arraycopy(x, xo + full, tail, 0, rest);
        erfLanes(tail, 0, scale, tailOut, 0, tailGauss, 0, F.length());
        System.arraycopy(tailOut, 0, out, oo + full, rest);
        if (gauss != null) System.arraycopy(tailGauss, 0, gauss, go + full, rest);
    }

    /** erf (and the Gaussian) over whole vectors: n is a multiple of the vector length. */
    private static void erfLanes(float[] x, int xo, float scale, float[] out, int oo, float[] gauss, int go, int n) {
        for (int i = 0; i < n; i += F.length()) {
            FloatVector u = FloatVector.fromArray(F, x, xo + i).mul(scale), a = u.abs(), z = a.mul(a);
            if (gauss != null) gaussianNear(a, z).intoArray(gauss, go + i);
            erfNear(u, a, z).intoArray(out, oo + i);
            if (!near(a)) erfFar(x, xo + i, scale, out, oo + i, gauss, go + i);
        }
    }

    /**
     * Whether every lane of a = |u| lies below 3, where {@link #erfNear} and {@link #gaussianNear}
     * are right; false for NaN (which the far piece handles), unlike "no lane at or beyond 3".
     */
    static boolean near(FloatVector a) {
        return a.compare(VectorOperators.LT, ERF_FAR).allTrue();
    }

    /**
     * erf(u) for a = |u| below 3 and z = a^2, from the two polynomial pieces: the bits of
     * {@link #erf} there. For a loop of its own that cannot afford erf's arrays (the GELU's); C2
     * inlines a call only while the caller is under its node budget, so make it early in a loop.
     */
    static FloatVector erfNear(FloatVector u, FloatVector a, FloatVector z) {
        // Below 1: a (2/sqrt(pi)) + a z s(z), the leading term's rounding left to the last fma.
        FloatVector s = z.fma(8.0069425167e-05f, -8.0537685426e-04f).fma(z, S4).fma(z, S3).fma(z, S2).fma(z, S1);
        FloatVector small = a.fma(TWO_OVER_SQRT_PI, a.fma(TWO_OVER_SQRT_PI_LO, a.mul(z).mul(s)));
        // Below 3: 1 - erfc(a).
        FloatVector c = a.sub(2f);
        FloatVector erfc = c.fma(-1.4316708075e-05f, -5.9244714066e-05f).fma(c, M10).fma(c, M9).fma(c, M8)
                .fma(c, M7).fma(c, M6).fma(c, M5).fma(c, M4).fma(c, M3).fma(c, M2).fma(c, M1).fma(c, M0);
        FloatVector erf = ONE.sub(erfc).blend(small, a.compare(VectorOperators.LT, 1f));
        return erf.reinterpretAsInts().or(u.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats();
    }

    /**
     * e^(-a^2) for a below 9 (e^-81 is a normal float) and z = a^2, by exp's shorter path, with a^2's
     * rounding error (exact by fma) taken out as 1 - remainder: the bits {@link #erf} gives there.
     */
    static FloatVector gaussianNear(FloatVector a, FloatVector z) {
        return expNormal(z.neg()).mul(ONE.sub(a.fma(a, z.neg())));
    }

    /**
     * Rewrites the lanes at or beyond 3 (and NaN) of the vector at out[o] from 1 - e^(-a^2) q(a);
     * the others keep what the polynomial pieces wrote. The Gaussian at gauss[g], if not null, all
     * lanes again, by exp's full path (the same bits where the short one was right). Arrays in and
     * out, no vector: it is rarely called, and so not inlined.
     */
    private static void erfFar(float[] x, int xo, float scale, float[] out, int o, float[] gauss, int g) {
        FloatVector u = FloatVector.fromArray(F, x, xo).mul(scale), a = u.abs(), z = a.mul(a);
        // 0 from a = 10 on, long before a = inf, where the remainder is NaN.
        FloatVector decay = exp(z.neg()).mul(ONE.sub(a.fma(a, z.neg()))).blend(0f, a.compare(VectorOperators.GE, 10f));
        if (gauss != null) decay.intoArray(gauss, g);
        FloatVector t = a.fma(2f / 3, -5f / 3);
        FloatVector q = t.fma(2.7810030151e-03f, 4.0807635523e-03f).fma(t, Q6).fma(t, Q5).fma(t, Q4).fma(t, Q3)
                .fma(t, Q2).fma(t, Q1).fma(t, Q0);
        FloatVector r = decay.neg().fma(q, ONE);
        // 1 from 4 on (also for a = inf, where the remainder is NaN); NaN stays NaN.
        r = r.blend(ONE, a.compare(VectorOperators.GE, ERF_ONE)).blend(a, a.compare(VectorOperators.NE, a));
        VectorMask<Float> near = a.compare(VectorOperators.LT, ERF_FAR);
        r = r.reinterpretAsInts().or(u.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats();
        r.blend(FloatVector.fromArray(F, out, o), near).intoArray(out, o);
    }


}

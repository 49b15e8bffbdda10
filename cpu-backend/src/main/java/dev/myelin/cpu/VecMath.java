package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and tanh of float lanes, built only from IEEE-exact operations (add, multiply, fma, bit
 * moves), so that a lane gives the same bits in the interpreter, in C1 and in C2. The Vector
 * API's own {@code lanewise(EXP)} does not: compiled by C2 it calls an intrinsic whose last bit
 * differs from the interpreter's Math.exp for some inputs, so a kernel's results changed when the
 * JIT compiled it, part way through a run (and a seed no longer gave one run). Cephes' single
 * precision polynomials; within 2 ulp of the correctly rounded value.
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
}

package dev.myelin.cpu;

import dev.myelin.backend.Elementwise.Binary;
import dev.myelin.backend.Elementwise.Unary;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 elementwise kernels on runs of {@code n} elements: an operand run has a step of 1
 * (vectorized), 0 (a broadcast scalar) or anything else (scalar loop). Outputs have step 1. Each
 * vectorized op has its own loop so that the Vector API sees a constant operation; ops without a
 * loop here, and the tails, go through {@link ElementwiseScalar}. (A loop whose operator is a
 * parameter would not be intrinsified.) exp and log run through {@link VecMath} masked to the end
 * instead of taking a scalar tail, so an element's result does not depend on its position; log1p,
 * sin and cos go element by element through Math, because the Vector API's lanewise versions
 * round differently once C2 compiles them.
 */
final class VecFloat {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();

    private VecFloat() {}

    static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(F, a, i);
    }

    /** {@code o = a op b}. */
    static void binary(Binary op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        if (as == 1 && bs == 1) {
            both(op, a, ao, b, bo, o, oo, n);
        } else if (as == 1 && bs == 0) {
            scalar(op, a, ao, b[bo], false, o, oo, n);
        } else if (as == 0 && bs == 1) {
            scalar(op, b, bo, a[ao], true, o, oo, n);
        } else {
            for (int i = 0; i < n; i++) o[oo + i] = (float) ElementwiseScalar.apply(op, a[ao + i * as], b[bo + i * bs]);
        }
    }

    private static void both(Binary op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int n) {
        int i = 0, ub = F.loopBound(n);
        switch (op) {
            case ADD -> { for (; i < ub; i += L) load(a, ao + i).add(load(b, bo + i)).intoArray(o, oo + i); }
            case SUB -> { for (; i < ub; i += L) load(a, ao + i).sub(load(b, bo + i)).intoArray(o, oo + i); }
            case MUL -> { for (; i < ub; i += L) load(a, ao + i).mul(load(b, bo + i)).intoArray(o, oo + i); }
            case DIV -> { for (; i < ub; i += L) load(a, ao + i).div(load(b, bo + i)).intoArray(o, oo + i); }
            case MAXIMUM -> { for (; i < ub; i += L) load(a, ao + i).max(load(b, bo + i)).intoArray(o, oo + i); }
            case MINIMUM -> { for (; i < ub; i += L) load(a, ao + i).min(load(b, bo + i)).intoArray(o, oo + i); }
            case EQ, NE, LT, LE, GT, GE -> { i = compare(op, a, ao, b, bo, o, oo, ub); }
            default -> { }
        }
        for (; i < n; i++) o[oo + i] = (float) ElementwiseScalar.apply(op, a[ao + i], b[bo + i]);
    }

    /** {@code o = a op s}, or {@code s op a} when {@code first}. */
    static void scalar(Binary op, float[] a, int ao, float s, boolean first, float[] o, int oo, int n) {
        int i = 0, ub = F.loopBound(n);
        FloatVector v = FloatVector.broadcast(F, s);
        switch (op) {
            case ADD -> { for (; i < ub; i += L) load(a, ao + i).add(v).intoArray(o, oo + i); }
            case MUL -> { for (; i < ub; i += L) load(a, ao + i).mul(v).intoArray(o, oo + i); }
            case MAXIMUM -> { for (; i < ub; i += L) load(a, ao + i).max(v).intoArray(o, oo + i); }
            case MINIMUM -> { for (; i < ub; i += L) load(a, ao + i).min(v).intoArray(o, oo + i); }
            case SUB -> {
                if (first) for (; i < ub; i += L) v.sub(load(a, ao + i)).intoArray(o, oo + i);
                else for (; i < ub; i += L) load(a, ao + i).sub(v).intoArray(o, oo + i);
            }
            case DIV -> {
                if (first) for (; i < ub; i += L) v.div(load(a, ao + i)).intoArray(o, oo + i);
                else for (; i < ub; i += L) load(a, ao + i).div(v).intoArray(o, oo + i);
            }
            // x^2 is exactly x * x; it is common enough (squares in losses) to skip Math.pow.
            case POW -> {
                if (!first && s == 2) for (; i < ub; i += L) {
                    FloatVector x = load(a, ao + i);
                    x.mul(x).intoArray(o, oo + i);
                }
            }
            case EQ, NE, LT, LE, GT, GE -> i = compareScalar(first ? flip(op) : op, a, ao, v, o, oo, ub);
            default -> { }
        }
        for (; i < n; i++) {
            double x = a[ao + i];
            o[oo + i] = (float) (first ? ElementwiseScalar.apply(op, s, x) : ElementwiseScalar.apply(op, x, s));
        }
    }

    /** Comparison loops up to ub (a multiple of the vector length); returns ub. */
    private static int compare(Binary op, float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        switch (op) {
            case EQ -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.EQ, load(b, bo + i))).intoArray(o, oo + i); }
            case NE -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.NE, load(b, bo + i))).intoArray(o, oo + i); }
            case LT -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.LT, load(b, bo + i))).intoArray(o, oo + i); }
            case LE -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.LE, load(b, bo + i))).intoArray(o, oo + i); }
            case GT -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.GT, load(b, bo + i))).intoArray(o, oo + i); }
            case GE -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.GE, load(b, bo + i))).intoArray(o, oo + i); }
            default -> throw new IllegalStateException(op + " is not a comparison");
        }
        return ub;
    }

    private static int compareScalar(Binary op, float[] a, int ao, FloatVector s, float[] o, int oo, int ub) {
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        switch (op) {
            case EQ -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.EQ, s)).intoArray(o, oo + i); }
            case NE -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.NE, s)).intoArray(o, oo + i); }
            case LT -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.LT, s)).intoArray(o, oo + i); }
            case LE -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.LE, s)).intoArray(o, oo + i); }
            case GT -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.GT, s)).intoArray(o, oo + i); }
            case GE -> { for (int i = 0; i < ub; i += L) zero.blend(one, load(a, ao + i).compare(VectorOperators.GE, s)).intoArray(o, oo + i); }
            default -> throw new IllegalStateException(op + " is not a comparison");
        }
        return ub;
    }

    /** The comparison with its operands swapped: s < x is x > s. */
    private static Binary flip(Binary op) {
        return switch (op) {
            case LT -> Binary.GT;
            case LE -> Binary.GE;
            case GT -> Binary.LT;
            case GE -> Binary.LE;
            default -> op;
        };
    }

    static void unary(Unary op, float[] x, int xo, int xs, float[] o, int oo, int n) {
        int i = 0;
        if (xs == 1) {
            int ub = F.loopBound(n);
            FloatVector one = FloatVector.broadcast(F, 1f);
            switch (op) {
                case NEG -> { for (; i < ub; i += L) load(x, xo + i).neg().intoArray(o, oo + i); }
                case ABS -> { for (; i < ub; i += L) load(x, xo + i).abs().intoArray(o, oo + i); }
                case SQRT -> { for (; i < ub; i += L) load(x, xo + i).sqrt().intoArray(o, oo + i); }
                case RECIPROCAL -> { for (; i < ub; i += L) one.div(load(x, xo + i)).intoArray(o, oo + i); }
                case RSQRT -> { for (; i < ub; i += L) one.div(load(x, xo + i).sqrt()).intoArray(o, oo + i); }
                case SQUARE -> {
                    for (; i < ub; i += L) {
                        FloatVector v = load(x, xo + i);
                        v.mul(v).intoArray(o, oo + i);
                    }
                }
                case EXP -> {
                    exp(x, xo, o, oo, n);
                    i = n;
                }
                case LOG -> {
                    VecMath.log(x, xo, o, oo, n);
                    i = n;
                }
                default -> { }
            }
        }
        for (; i < n; i++) o[oo + i] = (float) ElementwiseScalar.apply(op, x[xo + i * xs]);
    }

    /**
     * exp in a loop of its own: inlined into unary's switch with all the other loops it would pass
     * C2's inlining budget, and a vector passed to a call that is not inlined is boxed.
     */
    private static void exp(float[] x, int xo, float[] o, int oo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            VecMath.exp(FloatVector.fromArray(F, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    /** {@code o = min(max(x, lo), hi)}, NaN passing through (Vector max/min propagate NaN like Math's). */
    static void clamp(float[] x, int xo, int xs, float lo, float hi, float[] o, int oo, int n) {
        int i = 0;
        if (xs == 1) {
            FloatVector vlo = FloatVector.broadcast(F, lo), vhi = FloatVector.broadcast(F, hi);
            for (int ub = F.loopBound(n); i < ub; i += L) load(x, xo + i).max(vlo).min(vhi).intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i * xs], lo), hi);
    }

    /** {@code o = cond != 0 ? a : b}; cond of any dtype (vectorized when it is float32 too). */
    static void where(Object cond, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs,
                      float[] o, int oo, int n) {
        int i = 0;
        if (cond instanceof float[] c && cs == 1 && as == 1 && bs == 1) {
            for (int ub = F.loopBound(n); i < ub; i += L) {
                VectorMask<Float> take = load(c, co + i).compare(VectorOperators.NE, 0f);
                load(b, bo + i).blend(load(a, ao + i), take).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) o[oo + i] = Strided.get(cond, co + i * cs) != 0 ? a[ao + i * as] : b[bo + i * bs];
    }
}

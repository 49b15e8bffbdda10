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
 * vectorized op has its own loop, in {@link FloatLoops}, so that the Vector API sees a constant
 * operation and C2 compiles each on its own; ops without a loop, and the tails, go through
 * {@link ElementwiseScalar}. (A loop whose operator is a
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
            case ADD -> { FloatLoops.add(a, ao, b, bo, o, oo, ub); i = ub; }
            case SUB -> { FloatLoops.sub(a, ao, b, bo, o, oo, ub); i = ub; }
            case MUL -> { FloatLoops.mul(a, ao, b, bo, o, oo, ub); i = ub; }
            case DIV -> { FloatLoops.div(a, ao, b, bo, o, oo, ub); i = ub; }
            case MAXIMUM -> { FloatLoops.max(a, ao, b, bo, o, oo, ub); i = ub; }
            case MINIMUM -> { FloatLoops.min(a, ao, b, bo, o, oo, ub); i = ub; }
            case EQ, NE, LT, LE, GT, GE -> { i = compare(op, a, ao, b, bo, o, oo, ub); }
            default -> { }
        }
        for (; i < n; i++) o[oo + i] = (float) ElementwiseScalar.apply(op, a[ao + i], b[bo + i]);
    }

    /** {@code o = a op s}, or {@code s op a} when {@code first}. */
    static void scalar(Binary op, float[] a, int ao, float s, boolean first, float[] o, int oo, int n) {
        int i = 0, ub = F.loopBound(n);
        switch (op) {
            case ADD -> { FloatLoops.addScalar(a, ao, s, o, oo, ub); i = ub; }
            case MUL -> { FloatLoops.mulScalar(a, ao, s, o, oo, ub); i = ub; }
            case MAXIMUM -> { FloatLoops.maxScalar(a, ao, s, o, oo, ub); i = ub; }
            case MINIMUM -> { FloatLoops.minScalar(a, ao, s, o, oo, ub); i = ub; }
            case SUB -> {
                if (first) FloatLoops.scalarSub(s, a, ao, o, oo, ub);
                else FloatLoops.subScalar(a, ao, s, o, oo, ub);
                i = ub;
            }
            case DIV -> {
                if (first) FloatLoops.scalarDiv(s, a, ao, o, oo, ub);
                else FloatLoops.divScalar(a, ao, s, o, oo, ub);
                i = ub;
            }
            // x^2 is exactly x * x; it is common enough (squares in losses) to skip Math.pow.
            case POW -> {
                if (!first && s == 2) {
                    FloatLoops.square(a, ao, o, oo, ub);
                    i = ub;
                }
            }
            case EQ, NE, LT, LE, GT, GE ->
                    i = compareScalar(first ? flip(op) : op, a, ao, FloatVector.broadcast(F, s), o, oo, ub);
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
            case EQ -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.EQ, load(b, bo + i))).intoArray(o, oo + i);
                }
            }
            case NE -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.NE, load(b, bo + i))).intoArray(o, oo + i);
                }
            }
            case LT -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.LT, load(b, bo + i))).intoArray(o, oo + i);
                }
            }
            case LE -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.LE, load(b, bo + i))).intoArray(o, oo + i);
                }
            }
            case GT -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.GT, load(b, bo + i))).intoArray(o, oo + i);
                }
            }
            case GE -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.GE, load(b, bo + i))).intoArray(o, oo + i);
                }
            }
            default -> throw new IllegalStateException(op + " is not a comparison");
        }
        return ub;
    }

    private static int compareScalar(Binary op, float[] a, int ao, FloatVector s, float[] o, int oo, int ub) {
        FloatVector one = FloatVector.broadcast(F, 1f), zero = FloatVector.zero(F);
        switch (op) {
            case EQ -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.EQ, s)).intoArray(o, oo + i);
                }
            }
            case NE -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.NE, s)).intoArray(o, oo + i);
                }
            }
            case LT -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.LT, s)).intoArray(o, oo + i);
                }
            }
            case LE -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.LE, s)).intoArray(o, oo + i);
                }
            }
            case GT -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.GT, s)).intoArray(o, oo + i);
                }
            }
            case GE -> {
                for (int i = 0; i < ub; i += L) {
                    zero.blend(one, load(a, ao + i).compare(VectorOperators.GE, s)).intoArray(o, oo + i);
                }
            }
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
            switch (op) {
                case NEG -> { FloatLoops.neg(x, xo, o, oo, ub); i = ub; }
                case ABS -> { FloatLoops.abs(x, xo, o, oo, ub); i = ub; }
                case SQRT -> { FloatLoops.sqrt(x, xo, o, oo, ub); i = ub; }
                case RECIPROCAL -> { FloatLoops.reciprocal(x, xo, o, oo, ub); i = ub; }
                case RSQRT -> { FloatLoops.rsqrt(x, xo, o, oo, ub); i = ub; }
                case SQUARE -> { FloatLoops.square(x, xo, o, oo, ub); i = ub; }
                case EXP -> {
                    FloatLoops.exp(x, xo, o, oo, n);
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

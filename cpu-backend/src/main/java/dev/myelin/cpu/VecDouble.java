package dev.myelin.cpu;

import dev.myelin.backend.Elementwise.Binary;
import dev.myelin.backend.Elementwise.Unary;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float64 elementwise kernels, laid out like {@link VecFloat}. Transcendental ops use
 * {@link Math} element by element: float64 serves gradient checks and the golden PyTorch cases,
 * where the last bits matter more than speed.
 */
final class VecDouble {
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final int L = D.length();

    private VecDouble() {}

    static DoubleVector load(double[] a, int i) {
        return DoubleVector.fromArray(D, a, i);
    }

    /** {@code o = a op b}. */
    static void binary(Binary op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] o, int oo, int n) {
        if (as == 1 && bs == 1) {
            both(op, a, ao, b, bo, o, oo, n);
        } else if (as == 1 && bs == 0) {
            scalar(op, a, ao, b[bo], false, o, oo, n);
        } else if (as == 0 && bs == 1) {
            scalar(op, b, bo, a[ao], true, o, oo, n);
        } else {
            for (int i = 0; i < n; i++) o[oo + i] = ElementwiseScalar.apply(op, a[ao + i * as], b[bo + i * bs]);
        }
    }

    private static void both(Binary op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        int i = 0, ub = D.loopBound(n);
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
        for (; i < n; i++) o[oo + i] = ElementwiseScalar.apply(op, a[ao + i], b[bo + i]);
    }

    /** {@code o = a op s}, or {@code s op a} when {@code first}. */
    static void scalar(Binary op, double[] a, int ao, double s, boolean first, double[] o, int oo, int n) {
        int i = 0, ub = D.loopBound(n);
        DoubleVector v = DoubleVector.broadcast(D, s);
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
            case POW -> {
                if (!first && s == 2) for (; i < ub; i += L) {
                    DoubleVector x = load(a, ao + i);
                    x.mul(x).intoArray(o, oo + i);
                }
            }
            case EQ, NE, LT, LE, GT, GE -> i = compareScalar(first ? flip(op) : op, a, ao, v, o, oo, ub);
            default -> { }
        }
        for (; i < n; i++) o[oo + i] = first ? ElementwiseScalar.apply(op, s, a[ao + i]) : ElementwiseScalar.apply(op, a[ao + i], s);
    }

    /** Comparison loops up to ub (a multiple of the vector length); returns ub. */
    private static int compare(Binary op, double[] a, int ao, double[] b, int bo, double[] o, int oo, int ub) {
        DoubleVector one = DoubleVector.broadcast(D, 1), zero = DoubleVector.zero(D);
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

    private static int compareScalar(Binary op, double[] a, int ao, DoubleVector s, double[] o, int oo, int ub) {
        DoubleVector one = DoubleVector.broadcast(D, 1), zero = DoubleVector.zero(D);
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

    static void unary(Unary op, double[] x, int xo, int xs, double[] o, int oo, int n) {
        int i = 0;
        if (xs == 1) {
            int ub = D.loopBound(n);
            DoubleVector one = DoubleVector.broadcast(D, 1);
            switch (op) {
                case NEG -> { for (; i < ub; i += L) load(x, xo + i).neg().intoArray(o, oo + i); }
                case ABS -> { for (; i < ub; i += L) load(x, xo + i).abs().intoArray(o, oo + i); }
                case SQRT -> { for (; i < ub; i += L) load(x, xo + i).sqrt().intoArray(o, oo + i); }
                case RECIPROCAL -> { for (; i < ub; i += L) one.div(load(x, xo + i)).intoArray(o, oo + i); }
                case RSQRT -> { for (; i < ub; i += L) one.div(load(x, xo + i).sqrt()).intoArray(o, oo + i); }
                case SQUARE -> {
                    for (; i < ub; i += L) {
                        DoubleVector v = load(x, xo + i);
                        v.mul(v).intoArray(o, oo + i);
                    }
                }
                default -> { }
            }
        }
        for (; i < n; i++) o[oo + i] = ElementwiseScalar.apply(op, x[xo + i * xs]);
    }

    /** {@code o = min(max(x, lo), hi)}, NaN passing through. */
    static void clamp(double[] x, int xo, int xs, double lo, double hi, double[] o, int oo, int n) {
        int i = 0;
        if (xs == 1) {
            DoubleVector vlo = DoubleVector.broadcast(D, lo), vhi = DoubleVector.broadcast(D, hi);
            for (int ub = D.loopBound(n); i < ub; i += L) load(x, xo + i).max(vlo).min(vhi).intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] = Math.min(Math.max(x[xo + i * xs], lo), hi);
    }

    /** {@code o = cond != 0 ? a : b}; cond of any dtype (vectorized when it is float64 too). */
    static void where(Object cond, int co, int cs, double[] a, int ao, int as, double[] b, int bo, int bs,
                      double[] o, int oo, int n) {
        int i = 0;
        if (cond instanceof double[] c && cs == 1 && as == 1 && bs == 1) {
            for (int ub = D.loopBound(n); i < ub; i += L) {
                VectorMask<Double> take = load(c, co + i).compare(VectorOperators.NE, 0);
                load(b, bo + i).blend(load(a, ao + i), take).intoArray(o, oo + i);
            }
        }
        for (; i < n; i++) o[oo + i] = Strided.get(cond, co + i * cs) != 0 ? a[ao + i * as] : b[bo + i * bs];
    }
}

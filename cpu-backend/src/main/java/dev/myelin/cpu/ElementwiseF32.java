package dev.myelin.cpu;

import dev.myelin.backend.Elementwise.Binary;
import dev.myelin.backend.Elementwise.Unary;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vectorized float32 loops over contiguous ranges, for the common cases of the Elementwise family. */
final class ElementwiseF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private ElementwiseF32() {}

    /** Ops the vector loops cover; the others (POW, comparisons) take the scalar path. */
    static boolean vectorizes(Binary op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> true;
            default -> false;
        };
    }

    static boolean vectorizes(Unary op) {
        return op != Unary.SIGN;
    }

    /** out[i] = a[i] op b[i], or with b fixed at b[bo] when bScalar, for i in [0, n). */
    static void binary(Binary op, float[] a, int ao, float[] b, int bo, boolean bScalar, float[] out, int oo, int n) {
        int i = 0;
        FloatVector bs = bScalar ? FloatVector.broadcast(S, b[bo]) : null;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            FloatVector y = bScalar ? bs : FloatVector.fromArray(S, b, bo + i);
            apply(op, x, y).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            out[oo + i] = (float) CpuElementwise.apply(op, a[ao + i], bScalar ? b[bo] : b[bo + i]);
        }
    }

    /** out[i] = s op a[i] (scalarFirst) or a[i] op s. */
    static void scalar(Binary op, float[] a, int ao, float s, boolean scalarFirst, float[] out, int oo, int n) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            (scalarFirst ? apply(op, sv, x) : apply(op, x, sv)).intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            double v = a[ao + i];
            out[oo + i] = (float) (scalarFirst ? CpuElementwise.apply(op, s, v) : CpuElementwise.apply(op, v, s));
        }
    }

    private static FloatVector apply(Binary op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAXIMUM -> nanAware(x, y, x.max(y));
            case MINIMUM -> nanAware(x, y, x.min(y));
            default -> throw new IllegalStateException(op + " is not vectorized");
        };
    }

    /** PyTorch's maximum/minimum propagate NaN from either side. */
    private static FloatVector nanAware(FloatVector x, FloatVector y, FloatVector r) {
        VectorMask<Float> nan = x.test(VectorOperators.IS_NAN).or(y.test(VectorOperators.IS_NAN));
        return r.blend(x.add(y), nan);
    }

    static void unary(Unary op, float[] a, int ao, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            FloatVector r = switch (op) {
                case NEG -> x.neg();
                case ABS -> x.abs();
                case EXP -> x.lanewise(VectorOperators.EXP);
                case LOG -> x.lanewise(VectorOperators.LOG);
                case LOG1P -> x.lanewise(VectorOperators.LOG1P);
                case SQRT -> x.sqrt();
                case RSQRT -> FloatVector.broadcast(S, 1f).div(x.sqrt());
                case SQUARE -> x.mul(x);
                case RECIPROCAL -> FloatVector.broadcast(S, 1f).div(x);
                case SIN -> x.lanewise(VectorOperators.SIN);
                case COS -> x.lanewise(VectorOperators.COS);
                case SIGN -> throw new IllegalStateException("sign is not vectorized");
            };
            r.intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = (float) CpuElementwise.apply(op, a[ao + i]);
    }
}

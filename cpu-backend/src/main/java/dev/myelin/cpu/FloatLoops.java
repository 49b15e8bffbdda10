package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import static dev.myelin.cpu.VecFloat.F;
import static dev.myelin.cpu.VecFloat.L;

/**
 * {@link VecFloat}'s vector loops, one method per op, each over [0, ub) with ub a multiple of the
 * vector length (exp over all n, masked). One method per op, not one behind a switch, so that
 * each op's loop is compiled on its own: a shared loop is recompiled each time another op reaches
 * it and can end up in slow code.
 */
final class FloatLoops {
    private FloatLoops() {}

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(F, a, i);
    }

    // o = a op b

    static void add(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) load(a, ao + i).add(load(b, bo + i)).intoArray(o, oo + i);
    }

    static void sub(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) load(a, ao + i).sub(load(b, bo + i)).intoArray(o, oo + i);
    }

    static void mul(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) load(a, ao + i).mul(load(b, bo + i)).intoArray(o, oo + i);
    }

    static void div(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) load(a, ao + i).div(load(b, bo + i)).intoArray(o, oo + i);
    }

    static void max(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) load(a, ao + i).max(load(b, bo + i)).intoArray(o, oo + i);
    }

    static void min(float[] a, int ao, float[] b, int bo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) load(a, ao + i).min(load(b, bo + i)).intoArray(o, oo + i);
    }

    // o = a op s (and s op a for the ops that do not commute)

    static void addScalar(float[] a, int ao, float s, float[] o, int oo, int ub) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (int i = 0; i < ub; i += L) load(a, ao + i).add(v).intoArray(o, oo + i);
    }

    static void mulScalar(float[] a, int ao, float s, float[] o, int oo, int ub) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (int i = 0; i < ub; i += L) load(a, ao + i).mul(v).intoArray(o, oo + i);
    }

    static void maxScalar(float[] a, int ao, float s, float[] o, int oo, int ub) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (int i = 0; i < ub; i += L) load(a, ao + i).max(v).intoArray(o, oo + i);
    }

    static void minScalar(float[] a, int ao, float s, float[] o, int oo, int ub) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (int i = 0; i < ub; i += L) load(a, ao + i).min(v).intoArray(o, oo + i);
    }

    static void subScalar(float[] a, int ao, float s, float[] o, int oo, int ub) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (int i = 0; i < ub; i += L) load(a, ao + i).sub(v).intoArray(o, oo + i);
    }

    static void scalarSub(float s, float[] a, int ao, float[] o, int oo, int ub) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (int i = 0; i < ub; i += L) v.sub(load(a, ao + i)).intoArray(o, oo + i);
    }

    static void divScalar(float[] a, int ao, float s, float[] o, int oo, int ub) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (int i = 0; i < ub; i += L) load(a, ao + i).div(v).intoArray(o, oo + i);
    }

    static void scalarDiv(float s, float[] a, int ao, float[] o, int oo, int ub) {
        FloatVector v = FloatVector.broadcast(F, s);
        for (int i = 0; i < ub; i += L) v.div(load(a, ao + i)).intoArray(o, oo + i);
    }

    // o = f(x)

    static void square(float[] x, int xo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) {
            FloatVector v = load(x, xo + i);
            v.mul(v).intoArray(o, oo + i);
        }
    }

    static void neg(float[] x, int xo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) load(x, xo + i).neg().intoArray(o, oo + i);
    }

    static void abs(float[] x, int xo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) load(x, xo + i).abs().intoArray(o, oo + i);
    }

    static void sqrt(float[] x, int xo, float[] o, int oo, int ub) {
        for (int i = 0; i < ub; i += L) load(x, xo + i).sqrt().intoArray(o, oo + i);
    }

    static void reciprocal(float[] x, int xo, float[] o, int oo, int ub) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < ub; i += L) one.div(load(x, xo + i)).intoArray(o, oo + i);
    }

    /** e^x over all n elements, the last vector masked (so no element's value depends on its position). */
    static void exp(float[] x, int xo, float[] o, int oo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            VecMath.exp(FloatVector.fromArray(F, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    static void rsqrt(float[] x, int xo, float[] o, int oo, int ub) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = 0; i < ub; i += L) one.div(load(x, xo + i).sqrt()).intoArray(o, oo + i);
    }
}

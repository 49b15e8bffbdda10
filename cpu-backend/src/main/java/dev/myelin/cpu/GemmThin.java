package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM where m = 1 or n = 1 (vector-matrix and matrix-vector products): packing and a 6-row
 * register tile would waste most of their work, so these are dot products or row updates (axpy)
 * over the stored layout. C already holds beta * C; these add alpha * op(A) op(B).
 */
final class GemmThin {
    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;

    private GemmThin() {}

    static void f32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao,
                    float[] b, int bo, float[] c, int co) {
        if (n == 1) {
            // op(B) is the contiguous k-vector b[bo..]; rows of op(A) are contiguous unless transA.
            if (transA) {
                for (int p = 0; p < k; p++) axpy(m, alpha * b[bo + p], a, ao + p * m, c, co);
            } else {
                for (int i = 0; i < m; i++) c[co + i] += alpha * dot(k, a, ao + i * k, b, bo);
            }
        } else {
            // m == 1: op(A) is the contiguous k-vector a[ao..].
            if (transB) {
                for (int j = 0; j < n; j++) c[co + j] += alpha * dot(k, a, ao, b, bo + j * k);
            } else {
                for (int p = 0; p < k; p++) axpy(n, alpha * a[ao + p], b, bo + p * n, c, co);
            }
        }
    }

    /** x . y over len elements: lanes summed in LaneSums' order, then the elements past the last whole vector. */
    static float dot(int len, float[] x, int xo, float[] y, int yo) {
        FloatVector acc = FloatVector.zero(SF);
        int i = 0;
        for (int up = SF.loopBound(len); i < up; i += SF.length()) {
            acc = FloatVector.fromArray(SF, x, xo + i).fma(FloatVector.fromArray(SF, y, yo + i), acc);
        }
        float s = LaneSums.sum(acc);
        for (; i < len; i++) s += x[xo + i] * y[yo + i];
        return s;
    }

    private static void axpy(int len, float s, float[] x, int xo, float[] y, int yo) {
        FloatVector sv = FloatVector.broadcast(SF, s);
        int i = 0;
        for (int up = SF.loopBound(len); i < up; i += SF.length()) {
            FloatVector.fromArray(SF, x, xo + i).fma(sv, FloatVector.fromArray(SF, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < len; i++) y[yo + i] += s * x[xo + i];
    }
}

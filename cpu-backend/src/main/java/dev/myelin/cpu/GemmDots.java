package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C += alpha A B^T when B has fewer rows than one register panel of the packed GEMM (n < NR): the
 * classifier of an MLP, 256 x 10 x 1024, would spend two thirds of each packed tile on padding,
 * and its packing on a product of 5 MFLOP. Here both operands are read as stored, rows along k,
 * and each element of C is a dot product; tiles of 4 rows of A by 3 rows of B share their loads
 * (7 per 12 fmas). Sums of lanes in {@link LaneSums}' fixed order, so results do not depend on
 * the JIT or on the thread split, through a scratch array per task (toArray's allocations showed
 * in the MLP step's profile).
 */
final class GemmDots {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int ROWS = 4, COLS = 3;

    private GemmDots() {}

    /** Whether C = op(A) op(B) is this class's shape: A as stored, B transposed, n under nr, k a vector or more. */
    static boolean applies(boolean transA, boolean transB, int n, int k, int nr) {
        return !transA && transB && n < nr && k >= L;
    }

    /** C (m x n, already beta-scaled) += alpha A B^T, A m x k and B n x k, rows over the threads. */
    static void f32(int m, int n, int k, float alpha, float[] a, int ao, float[] b, int bo, float[] c, int co,
                    boolean parallel) {
        int tiles = (m + ROWS - 1) / ROWS;
        Parallel.Range rows = (s, e) -> {
            float[] lanes = new float[L];
            for (int t = s; t < e; t++) {
                tileRow(t * ROWS, Math.min(ROWS, m - t * ROWS), n, k, alpha, a, ao, b, bo, c, co, lanes);
            }
        };
        if (parallel) Parallel.forRange(tiles, (long) ROWS * n * k, rows);
        else rows.run(0, tiles);
    }

    /** Rows [i, i + h) of C: 4 x 3 tiles, then 4 x 1 for the last columns; fewer than 4 rows one dot at a time. */
    private static void tileRow(int i, int h, int n, int k, float alpha, float[] a, int ao, float[] b, int bo,
                                float[] c, int co, float[] lanes) {
        int j = 0;
        if (h == ROWS) {
            for (; j + COLS <= n; j += COLS) tile4x3(i, j, n, k, alpha, a, ao, b, bo, c, co, lanes);
            for (; j < n; j++) tile4x1(i, j, n, k, alpha, a, ao, b, bo, c, co, lanes);
            return;
        }
        for (int r = i; r < i + h; r++) {
            for (int x = 0; x < n; x++) c[co + r * n + x] += alpha * GemmThin.dot(k, a, ao + r * k, b, bo + x * k);
        }
    }

    private static void tile4x3(int i, int j, int n, int k, float alpha, float[] a, int ao, float[] b, int bo,
                                float[] c, int co, float[] lanes) {
        int a0 = ao + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k, b0 = bo + j * k, b1 = b0 + k, b2 = b1 + k;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00,
                c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        int p = 0;
        for (int up = S.loopBound(k); p < up; p += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + p), y1 = FloatVector.fromArray(S, b, b1 + p),
                    y2 = FloatVector.fromArray(S, b, b2 + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            c00 = x.fma(y0, c00);
            c01 = x.fma(y1, c01);
            c02 = x.fma(y2, c02);
            x = FloatVector.fromArray(S, a, a1 + p);
            c10 = x.fma(y0, c10);
            c11 = x.fma(y1, c11);
            c12 = x.fma(y2, c12);
            x = FloatVector.fromArray(S, a, a2 + p);
            c20 = x.fma(y0, c20);
            c21 = x.fma(y1, c21);
            c22 = x.fma(y2, c22);
            x = FloatVector.fromArray(S, a, a3 + p);
            c30 = x.fma(y0, c30);
            c31 = x.fma(y1, c31);
            c32 = x.fma(y2, c32);
        }
        int r0 = co + i * n + j, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
        c[r0] += alpha * finish(c00, lanes, a, a0, b, b0, p, k);
        c[r0 + 1] += alpha * finish(c01, lanes, a, a0, b, b1, p, k);
        c[r0 + 2] += alpha * finish(c02, lanes, a, a0, b, b2, p, k);
        c[r1] += alpha * finish(c10, lanes, a, a1, b, b0, p, k);
        c[r1 + 1] += alpha * finish(c11, lanes, a, a1, b, b1, p, k);
        c[r1 + 2] += alpha * finish(c12, lanes, a, a1, b, b2, p, k);
        c[r2] += alpha * finish(c20, lanes, a, a2, b, b0, p, k);
        c[r2 + 1] += alpha * finish(c21, lanes, a, a2, b, b1, p, k);
        c[r2 + 2] += alpha * finish(c22, lanes, a, a2, b, b2, p, k);
        c[r3] += alpha * finish(c30, lanes, a, a3, b, b0, p, k);
        c[r3 + 1] += alpha * finish(c31, lanes, a, a3, b, b1, p, k);
        c[r3 + 2] += alpha * finish(c32, lanes, a, a3, b, b2, p, k);
    }

    private static void tile4x1(int i, int j, int n, int k, float alpha, float[] a, int ao, float[] b, int bo,
                                float[] c, int co, float[] lanes) {
        int a0 = ao + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k, b0 = bo + j * k;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        int p = 0;
        for (int up = S.loopBound(k); p < up; p += L) {
            FloatVector y = FloatVector.fromArray(S, b, b0 + p);
            c0 = FloatVector.fromArray(S, a, a0 + p).fma(y, c0);
            c1 = FloatVector.fromArray(S, a, a1 + p).fma(y, c1);
            c2 = FloatVector.fromArray(S, a, a2 + p).fma(y, c2);
            c3 = FloatVector.fromArray(S, a, a3 + p).fma(y, c3);
        }
        int r0 = co + i * n + j;
        c[r0] += alpha * finish(c0, lanes, a, a0, b, b0, p, k);
        c[r0 + n] += alpha * finish(c1, lanes, a, a1, b, b0, p, k);
        c[r0 + 2 * n] += alpha * finish(c2, lanes, a, a2, b, b0, p, k);
        c[r0 + 3 * n] += alpha * finish(c3, lanes, a, a3, b, b0, p, k);
    }

    /** The lanes' sum plus the elements [p, k) past the last whole vector. */
    private static float finish(FloatVector acc, float[] lanes, float[] a, int ar, float[] b, int bx, int p, int k) {
        float s = LaneSums.sum(acc, lanes);
        for (; p < k; p++) s += a[ar + p] * b[bx + p];
        return s;
    }
}

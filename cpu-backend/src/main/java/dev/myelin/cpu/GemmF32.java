package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 GEMM for one row-major matrix triple: {@code C = alpha op(A) op(B) + beta C}, C m x n with
 * leading dimension n. Goto/BLIS structure: B is packed into NR-column panels per (NC, KC) block, A
 * into MR-row panels per (MC, KC) block, and a 6 x 2-vector register-blocked micro-kernel runs over
 * the packed panels.
 */
final class GemmF32 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;
    /** KC x NR floats of packed B stay in L1; MC x KC of packed A in L2; KC x NC of B in L3. */
    private static final int KC = 256;
    private static final int MC_MAX = 144;
    private static final int NC = 4096;

    private static final ThreadLocal<float[]> A_BUF = new ThreadLocal<>();
    private static final ThreadLocal<float[]> B_BUF = new ThreadLocal<>();

    private GemmF32() {}

    /**
     * Adds alpha op(A) op(B) to C after scaling C by beta. With {@code parallel}, a large problem is
     * cut into row or column strips of C, each an independent blocked GEMM on one thread, so that
     * the pool is entered once per call.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao,
                     float[] b, int bo, float beta, float[] c, int co, boolean parallel) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0 || n == 1 || m == 1) {
            scale(c, co, m * n, beta);
            if (k > 0 && alpha != 0) GemmThin.f32(transA, transB, m, n, k, alpha, a, ao, b, bo, c, co);
            return;
        }
        if (GemmDots.applies(transA, transB, n, k, NR)) {
            scale(c, co, m * n, beta);
            GemmDots.f32(m, n, k, alpha, a, ao, b, bo, c, co, parallel);
            return;
        }
        // beta = 0: the first k-block zeroes each tile of C just before its kernel adds to it (NaN
        // included), in cache, instead of a pass over all of C first; any other beta scales C ahead.
        boolean overwrite = beta == 0;
        if (!overwrite) scale(c, co, m * n, beta);
        int parts = parallel ? GemmSplit.parts(m, n, k, MR, NR) : 1;
        if (parts == 1) {
            blocked(transA, transB, m, n, k, alpha, a, ao, b, bo, c, co, overwrite, 0, m, 0, n);
            return;
        }
        boolean byRows = GemmSplit.byRows(m, n);
        int units = byRows ? ceilDiv(m, MR) : ceilDiv(n, NR);
        Parallel.forRange(parts, Parallel.GRAIN, (s, e) -> {
            int lo = units * s / parts, hi = units * e / parts;
            if (byRows) {
                blocked(transA, transB, m, n, k, alpha, a, ao, b, bo, c, co, overwrite, lo * MR, Math.min(m, hi * MR),
                        0, n);
            } else {
                blocked(transA, transB, m, n, k, alpha, a, ao, b, bo, c, co, overwrite, 0, m, lo * NR,
                        Math.min(n, hi * NR));
            }
        });
    }

    /** C[i0..i1, j0..j1] += alpha op(A) op(B) on the calling thread; = with {@code overwrite}. */
    private static void blocked(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao,
                                float[] b, int bo, float[] c, int co, boolean overwrite, int i0, int i1, int j0,
                                int j1) {
        int rows = i1 - i0, cols = j1 - j0;
        int mBlocks = ceilDiv(rows, MC_MAX);
        int mc = roundUp(ceilDiv(rows, mBlocks), MR);
        int kcMax = Math.min(KC, k);
        float[] aPack = borrow(A_BUF, mc * kcMax);
        float[] bPack = borrow(B_BUF, kcMax * roundUp(Math.min(NC, cols), NR));
        float[] edge = new float[MR * NR];
        try {
            for (int jc = j0; jc < j1; jc += NC) {
                int nc = Math.min(NC, j1 - jc), nPanels = ceilDiv(nc, NR);
                for (int p0 = 0; p0 < k; p0 += KC) {
                    int kc = Math.min(KC, k - p0);
                    boolean store = overwrite && p0 == 0;
                    for (int q = 0; q < nPanels; q++) {
                        packB(transB, n, k, b, bo, p0, kc, jc + q * NR, Math.min(NR, nc - q * NR), bPack, q * NR * kc);
                    }
                    for (int ic = i0; ic < i1; ic += mc) {
                        int mcNow = Math.min(mc, i1 - ic), mPanels = ceilDiv(mcNow, MR);
                        for (int r = 0; r < mPanels; r++) {
                            packA(transA, m, k, a, ao, ic + r * MR, Math.min(MR, mcNow - r * MR), p0, kc, aPack,
                                    r * MR * kc);
                        }
                        for (int q = 0; q < nPanels; q++) {
                            int j = jc + q * NR, w = Math.min(NR, nc - q * NR);
                            for (int r = 0; r < mPanels; r++) {
                                int i = ic + r * MR, h = Math.min(MR, mcNow - r * MR);
                                if (h == MR && w == NR) {
                                    if (store) zeroTile(c, co + i * n + j, n);
                                    kernel(kc, alpha, aPack, r * MR * kc, bPack, q * NR * kc, c, co + i * n + j, n);
                                } else {
                                    // Edge tile: compute the full register tile aside and add the valid part.
                                    java.util.Arrays.fill(edge, 0f);
                                    kernel(kc, alpha, aPack, r * MR * kc, bPack, q * NR * kc, edge, 0, NR);
                                    for (int y = 0; y < h; y++) {
                                        int cRow = co + (i + y) * n + j;
                                        for (int x = 0; x < w; x++) {
                                            c[cRow + x] = store ? edge[y * NR + x] : c[cRow + x] + edge[y * NR + x];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            A_BUF.set(aPack);
            B_BUF.set(bPack);
        }
    }

    /** C[6 x 2L] at co (row stride ldc) += alpha * Apanel * Bpanel over kc. */
    private static void kernel(int kc, float alpha, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            bo += NR;
            FloatVector x;
            x = FloatVector.broadcast(S, a[ao]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[ao + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[ao + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[ao + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[ao + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[ao + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            ao += MR;
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        store(c, co, al, c00, c01);
        store(c, co + ldc, al, c10, c11);
        store(c, co + 2 * ldc, al, c20, c21);
        store(c, co + 3 * ldc, al, c30, c31);
        store(c, co + 4 * ldc, al, c40, c41);
        store(c, co + 5 * ldc, al, c50, c51);
    }

    private static void store(float[] c, int o, FloatVector alpha, FloatVector v0, FloatVector v1) {
        v0.fma(alpha, FloatVector.fromArray(S, c, o)).intoArray(c, o);
        v1.fma(alpha, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    }

    /** Zeroes the MR x NR tile of C at co (row stride ldc). */
    private static void zeroTile(float[] c, int co, int ldc) {
        FloatVector zero = FloatVector.zero(S);
        for (int y = 0; y < MR; y++) {
            zero.intoArray(c, co + y * ldc);
            zero.intoArray(c, co + y * ldc + L);
        }
    }

    /** MR-row panel of op(A) rows [i, i + rows), cols [p0, p0 + kc): dst[p * MR + r], zero-padded to MR rows. */
    private static void packA(boolean transA, int m, int k, float[] a, int ao, int i, int rows, int p0, int kc,
                              float[] dst, int d) {
        if (rows < MR) java.util.Arrays.fill(dst, d, d + MR * kc, 0f);
        if (transA) {
            for (int p = 0; p < kc; p++) {
                int src = ao + (p0 + p) * m + i, o = d + p * MR;
                for (int r = 0; r < rows; r++) dst[o + r] = a[src + r];
            }
        } else {
            for (int r = 0; r < rows; r++) {
                int src = ao + (i + r) * k + p0;
                for (int p = 0; p < kc; p++) dst[d + p * MR + r] = a[src + p];
            }
        }
    }

    /** NR-column panel of op(B) rows [p0, p0 + kc), cols [j, j + cols): dst[p * NR + x], zero-padded to NR. */
    private static void packB(boolean transB, int n, int k, float[] b, int bo, int p0, int kc, int j, int cols,
                              float[] dst, int d) {
        if (cols < NR) java.util.Arrays.fill(dst, d, d + NR * kc, 0f);
        if (transB) {
            for (int x = 0; x < cols; x++) {
                int src = bo + (j + x) * k + p0;
                for (int p = 0; p < kc; p++) dst[d + p * NR + x] = b[src + p];
            }
        } else {
            for (int p = 0; p < kc; p++) System.arraycopy(b, bo + (p0 + p) * n + j, dst, d + p * NR, cols);
        }
    }

    /** c[co, co + len) *= beta, where beta = 0 overwrites (NaN included) with zeros. */
    static void scale(float[] c, int co, int len, float beta) {
        if (beta == 1) return;
        if (beta == 0) {
            java.util.Arrays.fill(c, co, co + len, 0f);
            return;
        }
        int i = 0;
        for (int up = S.loopBound(len); i < up; i += L) {
            FloatVector.fromArray(S, c, co + i).mul(beta).intoArray(c, co + i);
        }
        for (; i < len; i++) c[co + i] *= beta;
    }

    /** Takes the thread's cached buffer (at least size long) out of the cache so that a nested call gets its own. */
    private static float[] borrow(ThreadLocal<float[]> cache, int size) {
        float[] buf = cache.get();
        cache.set(null);
        return buf != null && buf.length >= size ? buf : new float[size];
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static int roundUp(int a, int b) {
        return ceilDiv(a, b) * b;
    }
}

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
    /** The calling thread's cache of the buffer its team of row strips packs B into. */
    private static final ThreadLocal<float[]> SHARED_B = new ThreadLocal<>();

    private GemmF32() {}

    /**
     * Adds alpha op(A) op(B) to C after scaling C by beta. With {@code parallel}, a large problem is
     * cut into row or column strips of C, one per thread, so that the pool is entered once per call:
     * column strips are independent blocked GEMMs; row strips are a {@link Team} sharing packed B.
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
            blocked(transA, transB, m, n, k, alpha, a, ao, b, bo, c, co, overwrite, 0, m, 0, n, null, 0, 1,
                    Team.Barrier.NONE);
        } else if (GemmSplit.byRows(m, n)) {
            // Row strips all multiply by the same blocks of B: each thread packs a share of a block
            // into a buffer they all read, instead of each packing all of B.
            int units = ceilDiv(m, MR);
            float[] shared = borrow(SHARED_B, 2 * bBlock(k, n));
            try {
                Parallel.team(parts, (rank, size, barrier) -> blocked(transA, transB, m, n, k, alpha, a, ao, b, bo,
                        c, co, overwrite, units * rank / size * MR, Math.min(m, units * (rank + 1) / size * MR), 0,
                        n, shared, rank, size, barrier));
            } finally {
                SHARED_B.set(shared);
            }
        } else {
            int units = ceilDiv(n, NR);
            Parallel.forRange(parts, Parallel.GRAIN, (s, e) -> blocked(transA, transB, m, n, k, alpha, a, ao, b, bo,
                    c, co, overwrite, 0, m, units * s / parts * NR, Math.min(n, units * e / parts * NR), null, 0, 1,
                    Team.Barrier.NONE));
        }
    }

    /**
     * C[i0..i1, j0..j1] += alpha op(A) op(B) (= with {@code overwrite}), as member {@code rank} of a
     * team of {@code size} threads that all run this over the same columns j0..j1, each its own rows:
     * each packs its share of every block of B into the shared buffer and waits at the barrier until
     * the block is whole. Blocks alternate between the two halves of {@code shared} (2 x
     * {@link #bBlock}), so that a member packing the next block never writes over one another member
     * still multiplies by. Without a shared buffer (a team of one) B is packed into the thread's own.
     */
    private static void blocked(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao,
                                float[] b, int bo, float[] c, int co, boolean overwrite, int i0, int i1, int j0,
                                int j1, float[] shared, int rank, int size, Team.Barrier barrier) {
        int rows = i1 - i0, cols = j1 - j0;
        int mBlocks = Math.max(1, ceilDiv(rows, MC_MAX));
        int mc = roundUp(ceilDiv(rows, mBlocks), MR);
        int bBlock = bBlock(k, cols);
        float[] aPack = borrow(A_BUF, Math.max(MR, mc) * Math.min(KC, k));
        float[] bPack = shared != null ? shared : borrow(B_BUF, bBlock);
        float[] edge = new float[MR * NR];
        int block = 0;
        try {
            for (int jc = j0; jc < j1; jc += NC) {
                int nc = Math.min(NC, j1 - jc), nPanels = ceilDiv(nc, NR);
                for (int p0 = 0; p0 < k; p0 += KC, block++) {
                    int kc = Math.min(KC, k - p0), bAt = shared != null ? (block & 1) * bBlock : 0;
                    boolean store = overwrite && p0 == 0;
                    packB(transB, n, k, b, bo, p0, kc, jc, nc, nPanels * rank / size, nPanels * (rank + 1) / size,
                            shared != null, bPack, bAt);
                    barrier.await();
                    for (int ic = i0; ic < i1; ic += mc) {
                        int mcNow = Math.min(mc, i1 - ic), mPanels = ceilDiv(mcNow, MR);
                        for (int r = 0; r < mPanels; r++) {
                            packA(transA, m, k, a, ao, ic + r * MR, Math.min(MR, mcNow - r * MR), p0, kc, aPack,
                                    r * MR * kc);
                        }
                        for (int q = 0; q < nPanels; q++) {
                            int j = jc + q * NR, w = Math.min(NR, nc - q * NR), bq = bAt + q * NR * kc;
                            for (int r = 0; r < mPanels; r++) {
                                int i = ic + r * MR, h = Math.min(MR, mcNow - r * MR);
                                if (h == MR && w == NR) {
                                    if (store) zeroTile(c, co + i * n + j, n);
                                    kernel(kc, alpha, aPack, r * MR * kc, bPack, bq, c, co + i * n + j, n);
                                } else {
                                    // Edge tile: compute the full register tile aside and add the valid part.
                                    java.util.Arrays.fill(edge, 0f);
                                    kernel(kc, alpha, aPack, r * MR * kc, bPack, bq, edge, 0, NR);
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
            if (shared == null) B_BUF.set(bPack);
        }
    }

    /** Floats of one packed block of B, KC x NC at most, for a k-deep product over cols columns. */
    private static int bBlock(int k, int cols) {
        return Math.min(KC, k) * roundUp(Math.min(NC, cols), NR);
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

    /**
     * Panels q0..q1 of the block of op(B) rows [p0, p0 + kc), cols [jc, jc + nc), panel q at
     * dst[d + q * NR * kc]. B as stored goes {@code byRows} (the shared blocks of row strips), each row
     * read once left to right into every panel: panel by panel read 128-byte pieces of kc rows n floats
     * apart, 2.7x slower (2048^2: 3.2 against 1.2 ms a thread). Column strips pack panel by panel: by
     * rows made the CNN step 2-4 % slower (three A/Bs against 2bea4cd; 0.98-1.01 without).
     */
    private static void packB(boolean transB, int n, int k, float[] b, int bo, int p0, int kc, int jc, int nc, int q0,
                              int q1, boolean byRows, float[] dst, int d) {
        int whole = transB || !byRows ? q0 : Math.max(q0, Math.min(q1, nc / NR));
        for (int p = 0; p < kc && whole > q0; p++) {
            int src = bo + (p0 + p) * n + jc;
            for (int q = q0; q < whole; q++) System.arraycopy(b, src + q * NR, dst, d + q * NR * kc + p * NR, NR);
        }
        for (int q = whole; q < q1; q++) {
            packPanelB(transB, n, k, b, bo, p0, kc, jc + q * NR, Math.min(NR, nc - q * NR), dst, d + q * NR * kc);
        }
    }

    /** NR-column panel of op(B) rows [p0, p0 + kc), cols [j, j + cols): dst[p * NR + x], zero-padded to NR. */
    private static void packPanelB(boolean transB, int n, int k, float[] b, int bo, int p0, int kc, int j, int cols,
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

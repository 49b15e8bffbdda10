package dev.myelin.cpu;

/** How a GEMM is cut into strips of C for the thread pool (the float32 GEMM's). */
final class GemmSplit {
    /** Below this many multiply-adds, waking the pool costs more than a second core saves. */
    static final long MIN_WORK = 1L << 23;
    /** Narrowest strip worth its own packing of the other operand, in micro-tile rows or columns. */
    private static final int MIN_UNITS = 4;

    private GemmSplit() {}

    /**
     * Strips along m when C is at least as tall as wide, else along n. Each strip packs all of the
     * operand it does not cut (a row strip all of B, k x n; a column strip all of A, m x k), so
     * cutting the longer side of C packs the least twice: the MLP's m = 256 rows by n = 1024
     * columns, cut into rows, had each thread pack the whole 1024-wide weight.
     */
    static boolean byRows(int m, int n) {
        return m >= n;
    }

    /** How many strips to run on the pool: 1 for small problems. */
    static int parts(int m, int n, int k, int mr, int nr) {
        int threads = Parallel.threads();
        if (threads == 1 || (long) m * n * k < MIN_WORK) return 1;
        int units = byRows(m, n) ? (m + mr - 1) / mr : (n + nr - 1) / nr;
        return Math.max(1, Math.min(threads, units / MIN_UNITS));
    }
}

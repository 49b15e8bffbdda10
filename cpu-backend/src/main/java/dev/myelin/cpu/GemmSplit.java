package dev.myelin.cpu;

/** How a GEMM is cut into strips of C for the thread pool (the float32 GEMM's). */
final class GemmSplit {
    /** Below this many multiply-adds, waking the pool costs more than a second core saves. */
    static final long MIN_WORK = 1L << 23;
    /** Narrowest strip worth its own packing of the other operand, in micro-tile rows or columns. */
    private static final int MIN_UNITS = 4;

    private GemmSplit() {}

    /** Strips along m when C is taller than wide (in micro-tiles), else along n. */
    static boolean byRows(int m, int n, int mr, int nr) {
        return (m + mr - 1) / mr >= (n + nr - 1) / nr;
    }

    /** How many strips to run on the pool: 1 for small problems. */
    static int parts(int m, int n, int k, int mr, int nr) {
        int threads = Parallel.threads();
        if (threads == 1 || (long) m * n * k < MIN_WORK) return 1;
        int units = byRows(m, n, mr, nr) ? (m + mr - 1) / mr : (n + nr - 1) / nr;
        return Math.max(1, Math.min(threads, units / MIN_UNITS));
    }
}

package dev.myelin.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The CPU backend's threads: one ForkJoin pool sized to the cores (or -Dmyelin.cpu.threads), and
 * a parallel-for that stays on the calling thread when the work is too small to pay for a fork.
 */
public final class Parallel {
    /** Roughly the number of element-operations below which one thread is faster than several. */
    public static final long GRAIN = 1 << 15;

    private static final int THREADS = Integer.getInteger("myelin.cpu.threads",
            Runtime.getRuntime().availableProcessors());
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

    private Parallel() {}

    /** A range [start, end) of a parallel loop. */
    @FunctionalInterface
    public interface Range {
        void run(int start, int end);
    }

    public static int threads() {
        return THREADS;
    }

    /**
     * Runs body over [0, n) split into contiguous chunks. {@code costPerItem} is the approximate
     * work per index, used to decide whether to split at all.
     */
    public static void forRange(int n, long costPerItem, Range body) {
        if (n <= 0) return;
        long total = (long) n * Math.max(1, costPerItem);
        if (POOL == null || total < GRAIN || n == 1) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(n, Math.min(THREADS * 4L, total / GRAIN));
        POOL.invoke(new Chunk(body, n, chunks, 0, chunks));
    }

    private static final class Chunk extends RecursiveAction {
        private final Range body;
        private final int n, chunks, from, to;

        Chunk(Range body, int n, int chunks, int from, int to) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from == 1) {
                long start = (long) n * from / chunks, end = (long) n * (from + 1) / chunks;
                body.run((int) start, (int) end);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Chunk(body, n, chunks, from, mid), new Chunk(body, n, chunks, mid, to));
        }
    }
}

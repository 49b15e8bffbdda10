package dev.myelin.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU backend's threads: the calling thread plus a ForkJoin pool of (cores - 1) workers (or
 * -Dmyelin.cpu.threads in all), and a parallel-for that stays on the calling thread when the work
 * is too small to pay for waking a worker.
 */
public final class Parallel {
    /** Roughly the number of element-operations below which one thread is faster than several. */
    public static final long GRAIN = 1 << 15;

    private static final int THREADS = Math.max(1, Integer.getInteger("myelin.cpu.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1) : null;

    private Parallel() {}

    /** A range [start, end) of a parallel loop. */
    @FunctionalInterface
    public interface Range {
        void run(int start, int end);
    }

    /** Threads a loop can use, the caller included. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs body over [0, n) split into contiguous chunks. {@code costPerItem} is the approximate
     * work per index, used to decide whether to split at all. The caller works on chunks too, and
     * chunks are handed out from a shared counter so a slow thread never holds the others up.
     */
    public static void forRange(int n, long costPerItem, Range body) {
        if (n <= 0) return;
        long total = (long) n * Math.max(1, costPerItem);
        if (POOL == null || total < GRAIN || n == 1) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(n, Math.min(THREADS * 4L, Math.max(2, total / GRAIN)));
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            }
        };
        int helpers = Math.min(THREADS - 1, chunks - 1);
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
        for (int i = 0; i < helpers; i++) tasks[i] = POOL.submit(worker);
        worker.run();
        for (ForkJoinTask<?> t : tasks) t.join();
    }
}

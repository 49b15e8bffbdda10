package dev.myelin.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU backend's threads: the calling thread plus (cores - 1) {@link SpinningWorkers} (or
 * -Dmyelin.cpu.threads in all), and a parallel-for that stays on the calling thread when the work
 * is too small to pay for waking a worker.
 */
public final class Parallel {
    /** Roughly the number of element-operations below which one thread is faster than several. */
    public static final long GRAIN = 1 << 15;

    /** A malformed -Dmyelin.cpu.threads fails here too, but the provider refuses to start the backend before. */
    private static final int THREADS = CpuThreads.configured();
    private static final SpinningWorkers POOL = THREADS > 1 ? new SpinningWorkers(THREADS - 1) : null;

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
     * The chunks depend on n and the cost only, never on which thread runs them.
     */
    public static void forRange(int n, long costPerItem, Range body) {
        if (n <= 0) return;
        long total = (long) n * Math.max(1, costPerItem);
        if (POOL == null || total < GRAIN || n == 1) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(n, Math.min(THREADS * 4L, Math.max(2, total / GRAIN)));
        Chunks work = new Chunks(n, chunks, body);
        if (!POOL.tryTake()) {
            work.run();  // the workers are on another loop (or this is one, nested): the chunks run here
            work.awaitClaimed();
            return;
        }
        try {
            POOL.start(work, chunks - 1);
            work.run();
            work.awaitClaimed();
        } finally {
            POOL.release();
        }
    }

    /**
     * Runs body on up to {@code size} threads at once, the caller as rank 0: on fewer (one, the
     * caller alone, with a barrier that returns at once) when the workers are on another loop, this
     * is nested in one, or the backend has fewer threads. For work whose threads wait for each other.
     */
    static void team(int size, Team.Body body) {
        int members = Math.min(size, THREADS);
        if (POOL == null || members <= 1 || !POOL.tryTake()) {
            body.run(0, 1, Team.Barrier.NONE);
            return;
        }
        try {
            Team team = new Team(members, body);
            POOL.start(team, members - 1);
            team.runAsCaller();
        } finally {
            POOL.release();
        }
    }

    /**
     * The chunks of one loop. The caller waits only for chunks some thread has claimed: a helper
     * that wakes after the caller has claimed the rest finds nothing to do, and its wake-up
     * (tens of microseconds when the other cores are busy) is not added to the loop's time.
     */
    private static final class Chunks implements Runnable {
        private final int n, chunks;
        private final Range body;
        private final Thread caller = Thread.currentThread();
        private final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        private volatile Throwable failure;

        Chunks(int n, int chunks, Range body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
        }

        @Override
        public void run() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    if (done.incrementAndGet() == chunks) LockSupport.unpark(caller);
                }
            }
        }

        /** Called by the caller once its own run() is over, so every chunk has been claimed. */
        void awaitClaimed() {
            for (int spins = 0; done.get() < chunks; spins++) {
                if (spins < 1000) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            Throwable t = failure;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }
}

package dev.myelin.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One body run by several threads at the same time, each with its rank, which may wait for each
 * other at a {@link Barrier}: the threads of a GEMM each pack a share of a block of B, wait until
 * the whole block is packed, then all multiply by it. {@link Parallel#forRange}'s chunks cannot
 * wait for each other: two of them may run one after the other on one thread. Made by
 * {@link Parallel#team}, whose caller is rank 0.
 */
final class Team implements Runnable {
    /** What each member runs. */
    @FunctionalInterface
    interface Body {
        void run(int rank, int size, Barrier barrier);
    }

    private final int size;
    private final Body body;
    private final Barrier barrier;
    private final Thread caller = Thread.currentThread();
    private final AtomicInteger nextRank = new AtomicInteger(1), finished = new AtomicInteger();
    private volatile Throwable failure;

    Team(int size, Body body) {
        this.size = size;
        this.body = body;
        this.barrier = new Barrier(size);
    }

    /** A worker's part: each of the size - 1 workers handed this takes the next rank. */
    @Override
    public void run() {
        int rank = nextRank.getAndIncrement();
        if (rank >= size) return;
        member(rank);
        if (finished.incrementAndGet() == size - 1) LockSupport.unpark(caller);
    }

    /** The caller's part, rank 0; returns when every member has, and throws the first failure. */
    void runAsCaller() {
        member(0);
        for (int spins = 0; finished.get() < size - 1; spins++) {
            if (spins < 1000) Thread.onSpinWait();
            else LockSupport.park(this);
        }
        Throwable t = failure;
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }

    private void member(int rank) {
        try {
            body.run(rank, size, barrier);
        } catch (Throwable t) {
            if (failure == null) failure = t;
            barrier.fail();  // so that no member waits for this one at a barrier
        }
    }

    /** Where the members wait until all have arrived; reusable, one phase after another. */
    static final class Barrier {
        /** A team of one's: it returns at once. */
        static final Barrier NONE = new Barrier(1);
        /** Polls before yielding the core: a member may be descheduled on a busy machine. */
        private static final int SPINS = 1 << 14;

        private final int parties;
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile int phase;
        private volatile boolean failed;

        Barrier(int parties) {
            this.parties = parties;
        }

        void await() {
            if (parties == 1) return;
            int p = phase;
            if (waiting.incrementAndGet() == parties) {
                waiting.set(0);
                phase = p + 1;
                return;
            }
            for (int spins = 0; phase == p; spins++) {
                if (failed) throw new IllegalStateException("another thread of the team failed");
                if (spins < SPINS) Thread.onSpinWait();
                else Thread.yield();
            }
        }

        void fail() {
            failed = true;
        }
    }
}

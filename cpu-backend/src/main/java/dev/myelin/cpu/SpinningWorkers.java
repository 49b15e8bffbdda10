package dev.myelin.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The CPU backend's worker threads. After a task a worker keeps polling for the next one for
 * {@link #SPIN_NANOS} before it parks, as OpenMP's threads do: a training step runs hundreds of
 * parallel loops back to back, and waking a parked thread took 70 us (median, 110 us at p90) on
 * a 2-core VM, a tenth of a 0.7 ms GEMM half, against 0.3 us for a spinning one. One loop at a time
 * owns the workers; a loop started while they are taken (by another thread, or nested in a loop's
 * body) runs on its caller alone.
 */
final class SpinningWorkers {
    /** How long an idle worker polls before parking: long enough to span the gaps between a step's ops. */
    static final long SPIN_NANOS = CpuThreads.spinNanos();

    private final Worker[] workers;
    private final AtomicBoolean taken = new AtomicBoolean();

    SpinningWorkers(int count) {
        workers = new Worker[count];
        for (int i = 0; i < count; i++) {
            workers[i] = new Worker();
            Thread t = new Thread(workers[i], "myelin-cpu-" + (i + 1));
            t.setDaemon(true);
            workers[i].thread = t;
            t.start();
        }
    }

    /** Takes the workers for one loop; false when another loop has them. */
    boolean tryTake() {
        return taken.compareAndSet(false, true);
    }

    /** Gives the workers back after {@link #tryTake}. */
    void release() {
        taken.set(false);
    }

    /** Has up to {@code count} workers run the task (the caller of a taken pool only). */
    void start(Runnable task, int count) {
        for (int i = 0; i < Math.min(count, workers.length); i++) workers[i].hand(task);
    }

    private static final class Worker implements Runnable {
        private final AtomicReference<Runnable> task = new AtomicReference<>();
        private volatile boolean parked;
        private Thread thread;

        void hand(Runnable t) {
            task.set(t);
            // Both volatile: either the worker sees the task before it parks, or this sees it parked.
            if (parked) LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (true) awaitTask().run();
        }

        /** The next task, taken out of the slot (so a newer one handed meanwhile is kept for later). */
        private Runnable awaitTask() {
            long giveUp = System.nanoTime() + SPIN_NANOS;
            while (task.get() == null && System.nanoTime() < giveUp) Thread.onSpinWait();
            while (task.get() == null) {
                parked = true;
                if (task.get() == null) LockSupport.park(this);
                parked = false;
            }
            return task.getAndSet(null);
        }
    }
}

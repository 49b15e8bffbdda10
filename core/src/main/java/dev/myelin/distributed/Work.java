package dev.myelin.distributed;

/**
 * A collective in flight (PyTorch's {@code Work}): the call that started it returned at once, and the
 * tensors it writes hold the result only after {@link #await()}.
 */
public interface Work {
    /**
     * Blocks until the collective has finished on this rank. Throws {@link DistributedException} when it
     * failed, or did not finish within the process group's timeout (another rank died or never joined).
     */
    void await();

    /** Whether the collective has finished (successfully or not), without blocking. */
    boolean isCompleted();

    /** A collective that finished when it was started: what a world of one process returns. */
    static Work completed() {
        return Completed.INSTANCE;
    }

    /** The finished work of {@link #completed()}. */
    enum Completed implements Work {
        INSTANCE;

        @Override
        public void await() {}

        @Override
        public boolean isCompleted() {
            return true;
        }
    }
}

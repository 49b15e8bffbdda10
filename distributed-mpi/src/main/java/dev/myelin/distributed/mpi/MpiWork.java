package dev.myelin.distributed.mpi;

import dev.myelin.distributed.DistributedException;
import dev.myelin.distributed.Work;

import java.util.concurrent.CompletableFuture;

/**
 * A tensor collective queued on the communication thread. {@link #await()} waits for it (at most the
 * group's timeout), then copies the result from the native buffers into the tensors on the awaiting thread
 * and frees the buffers; a broadcast's root has nothing to copy back.
 */
final class MpiWork implements Work {
    private final MpiProcessGroup group;
    private final String op;
    private final CompletableFuture<Void> future;
    private final Staging staging;
    private final boolean copyOut;
    private boolean finished;
    private DistributedException failure;

    MpiWork(MpiProcessGroup group, String op, CompletableFuture<Void> future, Staging staging, boolean copyOut) {
        this.group = group;
        this.op = op;
        this.future = future;
        this.staging = staging;
        this.copyOut = copyOut;
    }

    @Override
    public synchronized void await() {
        if (finished) {
            if (failure != null) throw failure;
            return;
        }
        try {
            group.await(op, future);
        } catch (DistributedException e) {
            // The buffers stay while MPI may still write them (timed out, interrupted); freed once it finished.
            if (future.isDone()) finish(e);
            throw e;
        }
        try {
            if (copyOut) staging.copyOut();
        } finally {
            finish(null);
        }
    }

    @Override
    public boolean isCompleted() {
        return future.isDone();
    }

    private void finish(DistributedException e) {
        finished = true;
        failure = e;
        staging.close();
    }
}

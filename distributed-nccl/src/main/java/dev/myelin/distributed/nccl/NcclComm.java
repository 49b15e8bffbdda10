package dev.myelin.distributed.nccl;

import dev.myelin.distributed.DistributedException;

import java.lang.foreign.MemorySegment;

/**
 * One NCCL communicator of this rank, with NCCL's result codes turned into {@link DistributedException}s
 * that name the call, NCCL's words for the failure and the rank. Once aborted (a timeout, an asynchronous
 * error, {@link #abort}) every later call throws: NCCL's communicator cannot be used again.
 */
final class NcclComm {
    private final Nccl nccl;
    private final MemorySegment handle;
    private final int rank;
    private final int worldSize;
    private String ended;

    private NcclComm(Nccl nccl, MemorySegment handle, int rank, int worldSize) {
        this.nccl = nccl;
        this.handle = handle;
        this.rank = rank;
        this.worldSize = worldSize;
    }

    /** ncclCommInitRank: returns when every rank of the id's communicator has joined. */
    static NcclComm init(Nccl nccl, byte[] uniqueId, int rank, int worldSize) {
        MemorySegment[] out = new MemorySegment[1];
        int rc = nccl.commInitRank(out, worldSize, uniqueId, rank);
        if (rc != 0) throw failure(nccl, rc, "ncclCommInitRank", rank, worldSize);
        return new NcclComm(nccl, out[0], rank, worldSize);
    }

    /** A new unique id (rank 0 makes it; the bootstrap carries it to the others). */
    static byte[] uniqueId(Nccl nccl, int rank, int worldSize) {
        byte[] id = new byte[Nccl.UNIQUE_ID_BYTES];
        int rc = nccl.getUniqueId(id);
        if (rc != 0) throw failure(nccl, rc, "ncclGetUniqueId", rank, worldSize);
        return id;
    }

    Nccl nccl() {
        return nccl;
    }

    MemorySegment handle() {
        checkUsable("nccl");
        return handle;
    }

    int rank() {
        return rank;
    }

    /** Throws naming the call and the rank when {@code rc} is not ncclSuccess. */
    void check(int rc, String call) {
        if (rc != 0) throw failure(nccl, rc, call, rank, worldSize);
    }

    /** The communicator's asynchronous error (0 when none, {@link Nccl#IN_PROGRESS} while initialising). */
    synchronized int asyncError() {
        if (ended != null) return 0;
        int[] error = new int[1];
        check(nccl.commGetAsyncError(handle, error), "ncclCommGetAsyncError");
        return error[0];
    }

    String describe(int rc) {
        return nccl.errorString(rc) + " (ncclResult_t " + rc + ")";
    }

    /** Aborts the communicator (ncclCommAbort: pending operations are cancelled); idempotent. */
    synchronized void abort(String why) {
        if (ended != null) return;
        ended = "aborted (" + why + ")";
        nccl.commAbort(handle);
    }

    /** Frees the communicator (ncclCommDestroy); idempotent, and a no-op after {@link #abort}. */
    synchronized void destroy() {
        if (ended != null) return;
        ended = "destroyed";
        check(nccl.commDestroy(handle), "ncclCommDestroy");
    }

    synchronized void checkUsable(String op) {
        if (ended != null) {
            throw new DistributedException("nccl " + op + ": rank " + rank + " of " + worldSize
                    + ": the communicator was " + ended + "; create a new process group");
        }
    }

    private static DistributedException failure(Nccl nccl, int rc, String call, int rank, int worldSize) {
        return new DistributedException("nccl: " + call + " failed on rank " + rank + " of " + worldSize + ": "
                + nccl.errorString(rc) + " (ncclResult_t " + rc + ")");
    }
}

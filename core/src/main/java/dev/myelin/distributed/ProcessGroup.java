package dev.myelin.distributed;

import dev.myelin.Tensor;

import java.util.List;

/**
 * The processes of one data-parallel job and the collectives between them (PyTorch's
 * {@code ProcessGroup}). Every rank must call the same collectives in the same order with tensors of
 * the same shapes and dtypes; tensor collectives work in place and return at once with a {@link Work}
 * to await. A transport (MPI, NCCL) provides it through {@link ProcessGroupProvider};
 * {@link Distributed#initProcessGroup()} chooses one.
 */
public interface ProcessGroup extends AutoCloseable {
    /** The transport: "mpi", "nccl", "local". */
    String name();

    int rank();

    int worldSize();

    /** This process's rank among those on its machine: which GPU it takes. */
    int localRank();

    /** Combines each tensor across the ranks, in place: every rank ends with the same values. */
    Work allReduce(List<Tensor> tensors, ReduceOp op);

    /** Copies each tensor of rank {@code root} into the same tensor of every other rank. */
    Work broadcast(List<Tensor> tensors, int root);

    /** Returns when every rank has called it (or throws after the timeout). */
    void barrier();

    /** Every rank's {@code value}, in rank order: for small things (shape fingerprints, counts, seeds). */
    long[] allGather(long value);

    /** Combines small host values across the ranks (metrics), elementwise; every rank gets the result. */
    double[] allReduce(double[] values, ReduceOp op);

    /**
     * Ends the whole job now: every rank exits with a non-zero status (MPI_Abort). For a rank that cannot go
     * on, so that no other rank waits for it forever; {@code reason} is printed first, with this rank.
     */
    void abort(String reason);

    /** Leaves the group (MPI_Finalize); collectives afterwards throw. */
    @Override
    void close();
}

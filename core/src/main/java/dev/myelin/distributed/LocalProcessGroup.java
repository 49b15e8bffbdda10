package dev.myelin.distributed;

import dev.myelin.Tensor;

import java.util.List;

/**
 * A world of one process, started without a launcher: every collective leaves its tensors as they are
 * (the sum and the average over one rank are the values themselves). No library is needed.
 */
final class LocalProcessGroup implements ProcessGroup {
    private boolean closed;

    @Override
    public String name() {
        return "local";
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public int worldSize() {
        return 1;
    }

    @Override
    public int localRank() {
        return 0;
    }

    @Override
    public Work allReduce(List<Tensor> tensors, ReduceOp op) {
        checkOpen("allReduce");
        return Work.completed();
    }

    @Override
    public Work broadcast(List<Tensor> tensors, int root) {
        checkOpen("broadcast");
        if (root != 0) throw new IllegalArgumentException("broadcast: root " + root + " is not a rank of a world of 1");
        return Work.completed();
    }

    @Override
    public void barrier() {
        checkOpen("barrier");
    }

    @Override
    public long[] allGather(long value) {
        checkOpen("allGather");
        return new long[] {value};
    }

    @Override
    public double[] allReduce(double[] values, ReduceOp op) {
        checkOpen("allReduce");
        return values.clone();
    }

    @Override
    public void abort(String reason) {
        System.err.println("rank 0: aborting: " + reason);
        Runtime.getRuntime().halt(1);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen(String op) {
        if (closed) throw new IllegalStateException(op + ": the process group was closed");
    }
}

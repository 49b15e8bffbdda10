package dev.myelin.train;

import dev.myelin.Tensor;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;
import dev.myelin.distributed.Work;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One rank of a pretend job, for the trainer's tests: the host all-reduce adds what the other ranks are
 * pretended to contribute ({@code others.apply(k)} for the k-th SUM; for MAX, {@code otherMax}), and the
 * collectives are counted. Tensor collectives are not the trainer's and throw.
 */
final class FakeGroup implements ProcessGroup {
    private final int rank, worldSize;
    private final IntFunction<double[]> others;
    private final double otherMax;
    final List<double[]> sums = new ArrayList<>();
    int maxes, barriers;

    FakeGroup(int rank, int worldSize, IntFunction<double[]> others, double otherMax) {
        this.rank = rank;
        this.worldSize = worldSize;
        this.others = others;
        this.otherMax = otherMax;
    }

    /** The other ranks contribute {@code totals} to every SUM and {@code otherMax} to every MAX. */
    FakeGroup(int rank, int worldSize, double[] totals, double otherMax) {
        this(rank, worldSize, k -> totals, otherMax);
    }

    int collectives() {
        return sums.size() + maxes + barriers;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    @Override
    public int localRank() {
        return rank;
    }

    @Override
    public double[] allReduce(double[] values, ReduceOp op) {
        double[] out = values.clone();
        switch (op) {
            case SUM -> {
                double[] other = others.apply(sums.size());
                if (other.length != values.length) {
                    throw new IllegalStateException("fake group: SUM of " + values.length + " values, the pretend "
                            + "ranks have " + other.length);
                }
                sums.add(values.clone());
                for (int i = 0; i < out.length; i++) out[i] += other[i];
            }
            case MAX -> {
                maxes++;
                for (int i = 0; i < out.length; i++) out[i] = Math.max(out[i], otherMax);
            }
            default -> throw new UnsupportedOperationException("fake group: " + op);
        }
        return out;
    }

    @Override
    public void barrier() {
        barriers++;
    }

    @Override
    public Work allReduce(List<Tensor> tensors, ReduceOp op) {
        throw new UnsupportedOperationException("fake group: tensor all-reduce");
    }

    @Override
    public Work broadcast(List<Tensor> tensors, int root) {
        throw new UnsupportedOperationException("fake group: broadcast");
    }

    @Override
    public long[] allGather(long value) {
        throw new UnsupportedOperationException("fake group: allGather");
    }

    @Override
    public void abort(String reason) {
        throw new UnsupportedOperationException("fake group: abort: " + reason);
    }

    @Override
    public void close() {
    }
}

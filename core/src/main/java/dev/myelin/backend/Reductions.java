package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * Reductions. {@code x} is contiguous; {@code out} is contiguous and has x's rank, with size 1 in
 * every reduced dimension and x's size elsewhere (keepdim layout).
 */
public interface Reductions {
    enum Op { SUM, MEAN, MAX, MIN }

    void reduce(Op op, Tensor x, Tensor out);

    /** Variance over the reduced dimensions, divided by (count - correction). */
    void variance(Tensor x, int correction, Tensor out);

    /** Index (int64) of the first maximum (or minimum) along {@code dim}; out has size 1 there. */
    void argReduce(boolean max, Tensor x, int dim, Tensor out);
}

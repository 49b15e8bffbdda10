package dev.myelin.data;

import dev.myelin.Tensor;

/**
 * A mini-batch: {@code x} of shape [B, ...] (the examples' features stacked) and {@code y} of
 * shape [B] int64 (their labels). The consumer owns both tensors; {@link #close()} frees them.
 */
public record Batch(Tensor x, Tensor y) implements AutoCloseable {
    /** The number of examples, B. */
    public int size() {
        return x.size(0);
    }

    @Override
    public void close() {
        x.close();
        y.close();
    }
}

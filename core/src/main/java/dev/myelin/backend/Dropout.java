package dev.myelin.backend;

import dev.myelin.Tensor;

/** Dropout with masks drawn from Philox 4x32-10, identical on every backend for the same seed. */
public interface Dropout {
    /**
     * {@code out[i] = keep(i / groupSize) ? x[i] / (1 - p) : 0} where
     * {@code keep(j) = Philox.uniform(seed, offset, j) >= p} (see {@link dev.myelin.random.Philox}).
     * groupSize is 1 for dropout and H*W for Dropout2d on [N, C, H, W] (one draw per channel plane).
     * The backward is the same call on the upstream gradient with the same seed and offset.
     * Requires {@code 0 <= p < 1} (the core handles p = 1).
     */
    void dropout(Tensor x, double p, long seed, long offset, long groupSize, Tensor out);
}

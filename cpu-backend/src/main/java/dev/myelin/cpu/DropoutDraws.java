package dev.myelin.cpu;

import dev.myelin.random.Philox;

/**
 * The keep decisions of one dropout call: draw j is kept iff {@code Philox.uniform(seed, offset, j)
 * >= p}. Numbers come four at a time from one Philox block, cached while j stays in it. The
 * comparison is done on the integer behind the uniform (u = k * 2^-24, so u >= p iff
 * k >= ceil(p * 2^24)), which is exact. Not thread-safe: one instance per task.
 */
final class DropoutDraws {
    private final long seed;
    private final long offset;
    private final long threshold;
    private final int[] block = new int[4];
    private long loaded = -1;

    DropoutDraws(long seed, long offset, double p) {
        this.seed = seed;
        this.offset = offset;
        this.threshold = (long) Math.ceil(p * 0x1p24);
    }

    boolean keep(long j) {
        long counter = j >>> 2;
        if (counter != loaded) {
            Philox.block(seed, offset + counter, block);
            loaded = counter;
        }
        return (block[(int) (j & 3)] >>> 8) >= threshold;
    }

    /** keep[k] = keep(first + k) for k < count. */
    void fill(long first, int count, boolean[] keep) {
        for (int k = 0; k < count; k++) keep[k] = keep(first + k);
    }
}

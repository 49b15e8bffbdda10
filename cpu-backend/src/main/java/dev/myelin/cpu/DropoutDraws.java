package dev.myelin.cpu;

import dev.myelin.random.Philox;

/**
 * The keep decisions of one dropout call: draw j is kept iff {@code Philox.uniform(seed, offset, j)
 * >= p}. Numbers come four at a time from one Philox block, cached while j stays in it, or, in
 * {@link #fill}, from {@link PhiloxLanes#COUNTERS} blocks at once. The
 * comparison is done on the integer behind the uniform (u = k * 2^-24, so u >= p iff
 * k >= ceil(p * 2^24)), which is exact. Not thread-safe: one instance per task.
 */
final class DropoutDraws {
    private final long seed;
    private final long offset;
    private final long threshold;
    private final int[] block = new int[4];
    private final long[] words = new long[4 * PhiloxLanes.COUNTERS];
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
        int k = 0;
        // One block at a time up to a block boundary, then whole groups of blocks in lanes.
        for (; k < count && ((first + k) & 3) != 0; k++) keep[k] = keep(first + k);
        int perGroup = 4 * PhiloxLanes.COUNTERS;
        for (; k + perGroup <= count; k += perGroup) {
            PhiloxLanes.blocks(seed, offset + ((first + k) >>> 2), words);
            for (int i = 0; i < PhiloxLanes.COUNTERS; i++) {
                for (int w = 0; w < 4; w++) {
                    keep[k + 4 * i + w] = (words[w * PhiloxLanes.COUNTERS + i] >>> 8) >= threshold;
                }
            }
        }
        for (; k < count; k++) keep[k] = keep(first + k);
    }
}

package dev.myelin.random;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A seed plus a counter position in the Philox stream. Each random op reserves the counters it
 * will use, so two ops never share numbers and a run is reproducible from its seed.
 */
public final class Generator {
    /** PyTorch's default generator starts from this seed too. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator DEFAULT = new Generator(DEFAULT_SEED);

    private volatile long seed;
    private final AtomicLong offset = new AtomicLong();

    public Generator(long seed) {
        this.seed = seed;
    }

    /** The process-wide generator that ops use unless given another. */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /** Re-seeds and rewinds to counter 0 (torch.manual_seed). */
    public synchronized void manualSeed(long newSeed) {
        seed = newSeed;
        offset.set(0);
    }

    public long seed() {
        return seed;
    }

    /** The counter the next draw starts at. */
    public long offset() {
        return offset.get();
    }

    /** Restores a saved position (for checkpoints). */
    public synchronized void setState(long newSeed, long newOffset) {
        seed = newSeed;
        offset.set(newOffset);
    }

    /** Reserves the counters for n numbers and returns the offset they start at. */
    public long reserve(long n) {
        return offset.getAndAdd(Philox.countersFor(n));
    }
}

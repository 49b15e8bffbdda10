package dev.myelin.random;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A seed plus a counter position in the Philox stream (PyTorch's {@code torch.Generator}). Each
 * random op reserves the counters it will use, so two ops never share numbers and a run is
 * reproducible from its seed. Ops draw from the process-wide {@link #defaultGenerator()} (seeded by
 * {@link dev.myelin.Myelin#manualSeed}) unless given their own: a {@code Dropout}, an initializer
 * in {@code Init}, a layer's constructor or a {@code DataLoader} given a generator draw from it
 * alone, so what they draw does not depend on what else runs. The backends turn (seed, counter)
 * into the same numbers, so a generator at the same position gives the same masks on every
 * backend. Reserving is thread-safe; seeding a generator while another thread draws from it is not
 * meaningful.
 */
public final class Generator {
    /** PyTorch's default generator starts from this seed too. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator DEFAULT = new Generator(DEFAULT_SEED);

    private volatile long seed;
    private final AtomicLong offset = new AtomicLong();

    /** A generator at counter 0 of {@code seed}. */
    public Generator(long seed) {
        this.seed = seed;
    }

    /** A generator at counter 0 of {@link #DEFAULT_SEED}, as {@code torch.Generator()}. */
    public Generator() {
        this(DEFAULT_SEED);
    }

    /** The process-wide generator that ops use unless given another. */
    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    /** Re-seeds and rewinds to counter 0 (torch.manual_seed, Generator.manual_seed); returns this. */
    public synchronized Generator manualSeed(long newSeed) {
        seed = newSeed;
        offset.set(0);
        return this;
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

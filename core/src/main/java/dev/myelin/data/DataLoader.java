package dev.myelin.data;

import dev.myelin.MemoryScope;
import dev.myelin.random.Generator;
import dev.myelin.random.Philox;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Iterates a {@link Dataset} in mini-batches (PyTorch's {@code DataLoader}). Each call to
 * {@link #iterator()} is one epoch: with {@code shuffle} the order is a permutation drawn from
 * {@code seed} and the epoch number (0, 1, 2, ... per iterator, or set with {@link #setEpoch}),
 * so a run is reproducible and every epoch differs; without it the order is 0..N-1. A loader
 * built with a {@link Generator} instead of a seed (PyTorch's {@code generator=}) draws each
 * epoch's permutation from it: one 64-bit draw (one Philox counter) per epoch, so the order
 * depends on that generator's seed and position alone, and the epoch number does not enter. With
 * {@code dropLast} a final batch smaller than {@code batchSize} is skipped. With a {@link Sampler}
 * (PyTorch's {@code sampler=}, e.g. a {@link DistributedSampler} for one rank's share) the loader
 * batches the sampler's indices instead, and {@link #setEpoch} is forwarded to it; as in PyTorch, the
 * sampler's order depends on the epoch set there, not on how many iterators were made. These are the
 * {@link Options} (PyTorch's keyword arguments, with its defaults):
 * {@code new DataLoader(train, 64, DataLoader.options().shuffle(true).seed(42).dropLast(true))}.
 *
 * <p>A daemon thread prepares up to {@code prefetch} batches ahead (0 prepares them on the
 * consumer's thread). Batches are created on the default backend and belong to no
 * {@link MemoryScope}, whichever thread made them (scopes are per thread, and a scope open around
 * the loop must not free batches still in use): the consumer owns each batch and should close it
 * when done, e.g. with try-with-resources, or let the garbage collector reclaim it. The thread ends
 * when the epoch ends, when the iterator is {@link BatchIterator#close() closed}, or soon after
 * an abandoned iterator becomes unreachable. An exception in the loader thread is rethrown by
 * {@code next()}/{@code hasNext()} as a {@link DataLoaderException} with the original as cause.
 */
public final class DataLoader implements Iterable<Batch> {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    /** The generator each epoch's permutation is drawn from, or null to shuffle from (seed, epoch). */
    private final Generator generator;
    private final boolean dropLast;
    private final int prefetch;
    /** Where the indices come from instead of shuffle / 0..N-1, or null. */
    private final Sampler sampler;
    private long nextEpoch;

    /**
     * Loader with PyTorch's defaults ({@link #options()}): no shuffling, the last partial batch kept, 2 batches
     * prefetched.
     */
    public DataLoader(Dataset dataset, int batchSize) {
        this(dataset, batchSize, Options.DEFAULTS);
    }

    /**
     * A loader with options, e.g. {@code new DataLoader(train, 64, DataLoader.options().shuffle(true).seed(42))}.
     *
     * @param batchSize examples per batch, >= 1
     */
    public DataLoader(Dataset dataset, int batchSize, Options options) {
        this(dataset, batchSize, options.shuffle, options.seed, options.generator, options.dropLast, options.prefetch,
                options.sampler);
    }

    /**
     * @deprecated positional booleans; use {@link #DataLoader(Dataset, int, Options)}:
     *     {@code options().shuffle(shuffle).seed(seed).dropLast(dropLast).prefetch(prefetch)}
     */
    @Deprecated
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, boolean dropLast, int prefetch) {
        this(dataset, batchSize, shuffle, seed, null, dropLast, prefetch, null);
    }

    /**
     * @deprecated positional booleans; use {@link #DataLoader(Dataset, int, Options)}:
     *     {@code options().shuffle(shuffle).generator(generator).dropLast(dropLast).prefetch(prefetch)}
     */
    @Deprecated
    public DataLoader(Dataset dataset, int batchSize, boolean shuffle, Generator generator, boolean dropLast,
            int prefetch) {
        this(dataset, batchSize, shuffle, 0, generator == null ? Generator.defaultGenerator() : generator, dropLast,
                prefetch, null);
    }

    /**
     * PyTorch's defaults: no shuffling, seed 0, no generator, the last partial batch kept, 2 batches prefetched, no
     * sampler.
     */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /**
     * A loader's keyword options (PyTorch's {@code DataLoader(..., shuffle=, generator=, drop_last=)}),
     * from {@link DataLoader#options()} and changed one at a time: each method returns a copy.
     *
     * @param shuffle   draw a new permutation each epoch: from {@code seed} and the epoch number, or
     *                  from {@code generator} when it is set
     * @param seed      the permutations' seed when there is no generator
     * @param generator null, or the generator each epoch's permutation is drawn from (one draw per
     *                  epoch); give the loader its own to keep its order apart from the dropout masks
     *                  and initial weights drawn from {@link Generator#defaultGenerator()}
     * @param dropLast  skip a final batch with fewer than {@code batchSize} examples
     * @param prefetch  batches prepared ahead on a background thread; 0 for none
     * @param sampler   null, or the sampler whose indices the loader batches (then {@code shuffle} must be false)
     */
    public record Options(boolean shuffle, long seed, Generator generator, boolean dropLast, int prefetch,
            Sampler sampler) {
        static final Options DEFAULTS = new Options(false, 0, null, false, 2, null);

        /** Options without a sampler. */
        public Options(boolean shuffle, long seed, Generator generator, boolean dropLast, int prefetch) {
            this(shuffle, seed, generator, dropLast, prefetch, null);
        }

        public Options shuffle(boolean shuffle) {
            return new Options(shuffle, seed, generator, dropLast, prefetch, sampler);
        }

        /** The permutations come from this seed and the epoch number (and no longer from a generator). */
        public Options seed(long seed) {
            return new Options(shuffle, seed, null, dropLast, prefetch, sampler);
        }

        /** The permutations are drawn from this generator, e.g. {@link Generator#defaultGenerator()}. */
        public Options generator(Generator generator) {
            if (generator == null) {
                throw new IllegalArgumentException("DataLoader.Options: generator is null; use seed(long) for an order "
                        + "from a seed, or Generator.defaultGenerator()");
            }
            return new Options(shuffle, seed, generator, dropLast, prefetch, sampler);
        }

        public Options dropLast(boolean dropLast) {
            return new Options(shuffle, seed, generator, dropLast, prefetch, sampler);
        }

        public Options prefetch(int prefetch) {
            return new Options(shuffle, seed, generator, dropLast, prefetch, sampler);
        }

        /**
         * The loader batches this sampler's indices (PyTorch's {@code sampler=}), e.g. a {@link DistributedSampler};
         * mutually exclusive with {@code shuffle(true)}.
         */
        public Options sampler(Sampler sampler) {
            if (sampler == null) {
                throw new IllegalArgumentException("DataLoader.Options: sampler is null; leave it out for the "
                        + "loader's own order");
            }
            return new Options(shuffle, seed, generator, dropLast, prefetch, sampler);
        }
    }

    private DataLoader(Dataset dataset, int batchSize, boolean shuffle, long seed, Generator generator,
            boolean dropLast, int prefetch, Sampler sampler) {
        if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batch_size must be >= 1, got " + batchSize);
        if (prefetch < 0) throw new IllegalArgumentException("DataLoader: prefetch must be >= 0, got " + prefetch);
        if (sampler != null && shuffle) {
            throw new IllegalArgumentException("DataLoader: sampler option is mutually exclusive with shuffle: the "
                    + "sampler sets the order (DistributedSampler shuffles itself); leave shuffle false");
        }
        this.dataset = dataset;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.generator = generator;
        this.dropLast = dropLast;
        this.prefetch = prefetch;
        this.sampler = sampler;
    }

    /** The generator the shuffled order is drawn from, or null when it comes from a seed and the epoch number. */
    public Generator generator() {
        return generator;
    }

    /** The sampler whose indices the loader batches, or null. */
    public Sampler sampler() {
        return sampler;
    }

    /** The number of batches in one epoch (of the sampler's indices when there is one). */
    public int numBatches() {
        return batches(sampler == null ? dataset.size() : sampler.size());
    }

    private int batches(int n) {
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * Sets the epoch number the next {@link #iterator()} uses (later iterators count on from it), and the
     * sampler's epoch (PyTorch's {@code sampler.set_epoch}) when there is one. A loader shuffling from a
     * generator ignores it: restore the generator's state instead.
     */
    public synchronized void setEpoch(long epoch) {
        nextEpoch = epoch;
        if (sampler != null) sampler.setEpoch(epoch);
    }

    /** The example order of epoch {@code epoch}: a Fisher-Yates permutation of 0..n-1 seeded by (seed, epoch). */
    public static int[] permutation(int n, long seed, long epoch) {
        // Distinct (seed, epoch) pairs give distinct generator seeds; SplittableRandom mixes them.
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Starts the next epoch. */
    @Override
    public BatchIterator iterator() {
        long epoch;
        synchronized (this) {
            epoch = nextEpoch++;
        }
        int n = dataset.size();
        int[] order;
        if (sampler != null) {
            order = samplerIndices(n);
        } else if (shuffle && generator != null) {
            order = permutation(n, draw64(generator), 0);
        } else if (shuffle) {
            order = permutation(n, seed, epoch);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
        }
        return new BatchIterator(new Producer(dataset, order, batchSize, batches(order.length)), prefetch);
    }

    /** The sampler's indices for this pass, checked against the dataset so that a wrong sampler fails here. */
    private int[] samplerIndices(int n) {
        int[] order = sampler.indices();
        for (int i : order) {
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("DataLoader: the sampler (" + sampler.getClass().getSimpleName()
                        + ") yielded index " + i + ", out of range for a dataset of " + n + " examples");
            }
        }
        return order;
    }

    /** One 64-bit number from the generator: the first two words of the Philox block at its next counter. */
    private static long draw64(Generator generator) {
        long seed = generator.seed();
        long offset = generator.reserve(2);
        int[] block = new int[4];
        Philox.block(seed, offset, block);
        return (block[0] & 0xFFFFFFFFL) | ((long) block[1] << 32);
    }

    /** Makes the batches of one epoch in order; shared by both iteration modes. */
    private static final class Producer {
        private final Dataset dataset;
        private final int[] order;
        private final int batchSize;
        private final int count;
        private int made;

        Producer(Dataset dataset, int[] order, int batchSize, int count) {
            this.dataset = dataset;
            this.order = order;
            this.batchSize = batchSize;
            this.count = count;
        }

        boolean hasMore() {
            return made < count;
        }

        Batch make() {
            int start = made * batchSize;
            int end = Math.min(start + batchSize, order.length);
            made++;
            return dataset.batch(java.util.Arrays.copyOfRange(order, start, end));
        }
    }

    /** Marker items on the prefetch queue. */
    private record End() {
    }

    private record Failure(Throwable error) {
    }

    /**
     * One epoch's batches. Closing it stops the loader thread and frees batches it had prepared
     * but not handed out.
     */
    public static final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private final Producer direct;
        private final Prefetcher prefetcher;
        private final Cleaner.Cleanable cleanable;
        private Object pending;
        private boolean finished;

        private BatchIterator(Producer producer, int prefetch) {
            if (prefetch == 0 || !producer.hasMore()) {
                direct = producer;
                prefetcher = null;
                cleanable = null;
            } else {
                direct = null;
                prefetcher = new Prefetcher(producer, prefetch);
                // The thread holds only the Prefetcher, so an abandoned iterator can be collected and stop it.
                cleanable = CLEANER.register(this, prefetcher::stop);
                prefetcher.thread.start();
            }
        }

        /** The loader thread, or null when batches are made on the consumer's thread. */
        public Thread loaderThread() {
            return prefetcher == null ? null : prefetcher.thread;
        }

        @Override
        public boolean hasNext() {
            if (finished) return false;
            if (direct != null) return direct.hasMore();
            if (pending == null) pending = prefetcher.take();
            return switch (pending) {
                case End e -> {
                    finished = true;
                    cleanable.clean();
                    yield false;
                }
                case Failure f -> {
                    finished = true;
                    cleanable.clean();
                    throw new DataLoaderException("DataLoader: the loader thread failed: " + f.error(), f.error());
                }
                default -> true;
            };
        }

        @Override
        public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch has no more batches");
            if (direct != null) {
                // Same ownership as prefetched batches: made here, they would join the consumer's scope.
                Batch made = direct.make();
                MemoryScope.release(made.x());
                MemoryScope.release(made.y());
                return made;
            }
            Batch b = (Batch) pending;
            pending = null;
            return b;
        }

        @Override
        public void close() {
            finished = true;
            if (pending instanceof Batch b) b.close();
            pending = null;
            if (cleanable != null) cleanable.clean();
        }
    }

    /** The background thread and its bounded queue of ready batches. */
    private static final class Prefetcher implements Runnable {
        private final Producer producer;
        private final BlockingQueue<Object> queue;
        private final AtomicBoolean stopped = new AtomicBoolean();
        final Thread thread;

        Prefetcher(Producer producer, int capacity) {
            this.producer = producer;
            this.queue = new ArrayBlockingQueue<>(capacity + 1); // + 1 so the End marker always fits
            this.thread = Thread.ofPlatform().daemon().name("myelin-dataloader").unstarted(this);
        }

        @Override
        public void run() {
            try {
                while (producer.hasMore() && !stopped.get()) {
                    Batch b = producer.make();
                    if (!offer(b)) {
                        b.close();
                        return;
                    }
                }
                offer(new End());
            } catch (Throwable t) {
                offer(new Failure(t));
            } finally {
                if (stopped.get()) drain();
            }
        }

        /** Waits for room; false when stopped meanwhile. */
        private boolean offer(Object item) {
            try {
                while (!stopped.get()) {
                    if (queue.offer(item, 50, TimeUnit.MILLISECONDS)) return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        Object take() {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DataLoaderException("DataLoader: interrupted while waiting for a batch", e);
            }
        }

        /** Called by close(), the end of the epoch, or the Cleaner; may run on any thread. */
        void stop() {
            stopped.set(true);
            thread.interrupt();
            drain();
        }

        private void drain() {
            Object item;
            while ((item = queue.poll()) != null) {
                if (item instanceof Batch b) b.close();
            }
        }
    }
}

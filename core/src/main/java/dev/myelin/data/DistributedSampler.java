package dev.myelin.data;

import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.ProcessGroup;

import java.util.Objects;

/**
 * One rank's share of a dataset in data-parallel training (PyTorch's
 * {@code torch.utils.data.distributed.DistributedSampler}). Each pass takes the epoch's order of all
 * {@code N} indices — with {@code shuffle}, the permutation of {@link DataLoader#permutation} drawn from
 * ({@code seed}, epoch), the same on every rank; else 0..N-1 — makes its length a multiple of
 * {@code numReplicas} (R), and gives rank {@code r} the entries at {@code r, r + R, r + 2R, ...}: the
 * shards are disjoint and together cover the dataset. Without {@code dropLast} the order is padded by
 * repeating it from its start, so every rank gets {@code ceil(N / R)} indices and a few examples are seen
 * twice per epoch; with it the order is cut to {@code floor(N / R) * R}, so every rank gets
 * {@code floor(N / R)} and a few examples are skipped.
 *
 * <p>As in PyTorch, call {@link #setEpoch} (or {@link DataLoader#setEpoch}, which forwards here; the
 * {@code Trainer} does) before each epoch: otherwise every epoch has the same order. The order depends
 * only on (seed, epoch, N), so a run resumed with another number of ranks reshards the same permutation.
 * At world size 1 with shuffling, the order is that of a {@code DataLoader} shuffled with the same seed.
 *
 * <pre>{@code
 * var sampler = new DistributedSampler(train, Distributed.group());
 * var loader = new DataLoader(train, 64, DataLoader.options().sampler(sampler));
 * }</pre>
 */
public final class DistributedSampler implements Sampler {
    private final int datasetSize;
    private final int numReplicas;
    private final int rank;
    private final Options options;
    private final int numSamples;
    private volatile long epoch;

    /**
     * The sampler's keyword options, PyTorch's defaults ({@link #options()}): {@code shuffle=true},
     * {@code seed=0}, {@code drop_last=false}. Each method returns a copy.
     *
     * @param shuffle  a new permutation each epoch, drawn from ({@code seed}, epoch); else 0..N-1
     * @param seed     the permutations' seed: the same on every rank
     * @param dropLast cut the order to a multiple of the number of ranks instead of padding it
     */
    public record Options(boolean shuffle, long seed, boolean dropLast) {
        static final Options DEFAULTS = new Options(true, 0, false);

        public Options shuffle(boolean shuffle) {
            return new Options(shuffle, seed, dropLast);
        }

        public Options seed(long seed) {
            return new Options(shuffle, seed, dropLast);
        }

        public Options dropLast(boolean dropLast) {
            return new Options(shuffle, seed, dropLast);
        }
    }

    /** PyTorch's defaults: shuffle, seed 0, pad rather than drop. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /** This process's share in the group {@link Distributed#initProcessGroup()} joined (all of it without one). */
    public DistributedSampler(Dataset dataset) {
        this(dataset, Distributed.worldSize(), Distributed.rank(), Options.DEFAULTS);
    }

    /** This process's share among the ranks of {@code group}, with PyTorch's defaults. */
    public DistributedSampler(Dataset dataset, ProcessGroup group) {
        this(dataset, group, Options.DEFAULTS);
    }

    public DistributedSampler(Dataset dataset, ProcessGroup group, Options options) {
        this(dataset, Objects.requireNonNull(group, "DistributedSampler: group is null").worldSize(), group.rank(),
                options);
    }

    /** Rank {@code rank}'s share of {@code numReplicas}, with PyTorch's defaults. */
    public DistributedSampler(Dataset dataset, int numReplicas, int rank) {
        this(dataset, numReplicas, rank, Options.DEFAULTS);
    }

    /**
     * @param numReplicas the number of ranks sharing the dataset, >= 1
     * @param rank        this rank, in [0, numReplicas - 1]
     */
    public DistributedSampler(Dataset dataset, int numReplicas, int rank, Options options) {
        Objects.requireNonNull(dataset, "DistributedSampler: dataset is null");
        Objects.requireNonNull(options, "DistributedSampler: options is null");
        if (numReplicas < 1) {
            throw new IllegalArgumentException("DistributedSampler: num_replicas must be >= 1, got " + numReplicas);
        }
        if (rank < 0 || rank >= numReplicas) {
            throw new IllegalArgumentException("DistributedSampler: invalid rank " + rank
                    + ", rank should be in the interval [0, " + (numReplicas - 1) + "] (num_replicas " + numReplicas
                    + ")");
        }
        this.datasetSize = dataset.size();
        this.numReplicas = numReplicas;
        this.rank = rank;
        this.options = options;
        this.numSamples = options.dropLast ? datasetSize / numReplicas
                : (int) (((long) datasetSize + numReplicas - 1) / numReplicas);
    }

    /** The number of indices this rank gets per epoch: ceil(N / R), or floor(N / R) with dropLast. */
    public int numSamples() {
        return numSamples;
    }

    @Override
    public int size() {
        return numSamples;
    }

    public int numReplicas() {
        return numReplicas;
    }

    public int rank() {
        return rank;
    }

    public boolean shuffle() {
        return options.shuffle;
    }

    public long seed() {
        return options.seed;
    }

    public boolean dropLast() {
        return options.dropLast;
    }

    /** The epoch the next passes use; every rank must set the same one. */
    @Override
    public void setEpoch(long epoch) {
        this.epoch = epoch;
    }

    public long epoch() {
        return epoch;
    }

    /** This rank's indices for the current epoch. */
    @Override
    public int[] indices() {
        int n = datasetSize;
        int[] order = options.shuffle ? DataLoader.permutation(n, options.seed, epoch) : identity(n);
        int[] mine = new int[numSamples];
        // Entry k of the padded (or cut) order of length numSamples * R is order[k % n]: padding repeats from the
        // start, as often as needed when R > N.
        for (int i = 0; i < numSamples; i++) mine[i] = order[(int) (((long) i * numReplicas + rank) % n)];
        return mine;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }
}

package dev.myelin.data;

import dev.myelin.Tensor;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;
import dev.myelin.distributed.Work;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's DistributedSampler: disjoint shards, padding or cutting, the order from (seed, epoch), resharding. */
class DistributedSamplerTest {
    /** A dataset of n examples; the sampler reads only its size. */
    private static TensorDataset dataset(int n) {
        return new TensorDataset(new float[n], new int[] {1}, new long[n]);
    }

    private static DistributedSampler sampler(int n, int replicas, int rank, DistributedSampler.Options o,
            long epoch) {
        DistributedSampler s = new DistributedSampler(dataset(n), replicas, rank, o);
        s.setEpoch(epoch);
        return s;
    }

    /**
     * The epoch's order before sharding, rebuilt from the shards: entry k is rank k % R's entry k / R (PyTorch's
     * {@code indices[rank:total:R]} read backwards).
     */
    private static int[] interleave(int n, int replicas, DistributedSampler.Options o, long epoch) {
        int[][] shards = new int[replicas][];
        for (int r = 0; r < replicas; r++) shards[r] = sampler(n, replicas, r, o, epoch).indices();
        int[] total = new int[shards[0].length * replicas];
        for (int k = 0; k < total.length; k++) total[k] = shards[k % replicas][k / replicas];
        return total;
    }

    private static boolean isPermutation(int[] order) {
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) if (sorted[i] != i) return false;
        return true;
    }

    @Test
    void shardsAreDisjointAndTogetherTheDataset() {
        var o = DistributedSampler.options().seed(7);
        for (int replicas : new int[] {1, 2, 3, 4, 6}) {
            int[] all = new int[0];
            for (int r = 0; r < replicas; r++) {
                DistributedSampler s = sampler(24, replicas, r, o, 3);
                int[] mine = s.indices();
                assertEquals(24 / replicas, s.numSamples());
                assertEquals(s.numSamples(), mine.length);
                int[] joined = Arrays.copyOf(all, all.length + mine.length);
                System.arraycopy(mine, 0, joined, all.length, mine.length);
                all = joined;
            }
            assertTrue(isPermutation(all), "R=" + replicas + ": " + Arrays.toString(all));
        }
    }

    @Test
    void rankRTakesEveryRthEntryOfTheEpochsOrder() {
        // At one replica the sampler's order is the epoch's order, the same as a loader shuffled with that seed.
        var o = DistributedSampler.options().seed(5);
        int[] order = sampler(10, 1, 0, o, 2).indices();
        assertArrayEquals(DataLoader.permutation(10, 5, 2), order);
        // Padded to 12: entry 10 is the order's first.
        assertArrayEquals(new int[] {order[1], order[4], order[7], order[0]}, sampler(10, 3, 1, o, 2).indices());
        assertArrayEquals(new int[] {2, 5, 8, 1}, sampler(10, 3, 2, o.shuffle(false), 2).indices(),
                "without shuffle the order is 0..N-1");
    }

    @Test
    void withoutDropLastTheOrderIsPaddedFromItsStart() {
        var o = DistributedSampler.options().seed(1);
        int[] order = sampler(10, 1, 0, o, 4).indices();
        int[] padded = interleave(10, 4, o, 4);
        assertEquals(3, sampler(10, 4, 3, o, 4).numSamples(), "ceil(10 / 4)");
        assertEquals(12, padded.length);
        assertArrayEquals(order, Arrays.copyOf(padded, 10));
        assertArrayEquals(Arrays.copyOf(order, 2), Arrays.copyOfRange(padded, 10, 12), "padding repeats the start");
        // More ranks than examples: the order repeats as often as needed (PyTorch's indices * ceil(pad / N)).
        int[] few = sampler(3, 1, 0, o, 0).indices();
        int[] repeated = interleave(3, 8, o, 0);
        assertEquals(8, repeated.length);
        for (int k = 0; k < 8; k++) assertEquals(few[k % 3], repeated[k], "entry " + k);
    }

    @Test
    void withDropLastTheOrderIsCut() {
        var o = DistributedSampler.options().seed(1).dropLast(true);
        int[] order = sampler(10, 1, 0, o, 4).indices();
        int[] cut = interleave(10, 4, o, 4);
        assertEquals(2, sampler(10, 4, 0, o, 4).numSamples(), "floor(10 / 4)");
        assertArrayEquals(Arrays.copyOf(order, 8), cut);
        assertEquals(0, sampler(3, 4, 2, o, 0).indices().length, "fewer examples than ranks: nothing each");
    }

    @Test
    void numSamplesIsCeilOrFloorOfNOverR() {
        for (int n : new int[] {0, 1, 5, 16, 17, 100}) {
            for (int replicas = 1; replicas <= 7; replicas++) {
                for (boolean drop : new boolean[] {false, true}) {
                    var s = sampler(n, replicas, replicas - 1, DistributedSampler.options().dropLast(drop), 0);
                    int expected = drop ? Math.floorDiv(n, replicas) : Math.ceilDiv(n, replicas);
                    assertEquals(expected, s.numSamples(), "N=" + n + " R=" + replicas + " drop_last=" + drop);
                    assertEquals(expected, s.indices().length);
                    assertEquals(expected, s.size());
                }
            }
        }
    }

    @Test
    void theOrderComesFromSeedAndEpochAlone() {
        var o = DistributedSampler.options().seed(42);
        int[] e0 = sampler(50, 2, 1, o, 0).indices();
        assertArrayEquals(e0, sampler(50, 2, 1, o, 0).indices(), "same seed and epoch, same order");
        DistributedSampler s = sampler(50, 2, 1, o, 0);
        assertArrayEquals(e0, s.indices(), "a pass does not move the order on");
        s.setEpoch(1);
        assertFalse(Arrays.equals(e0, s.indices()), "a new epoch, a new order");
        assertFalse(Arrays.equals(e0, sampler(50, 2, 1, o.seed(43), 0).indices()), "another seed, another order");
        assertEquals(1, s.epoch());
    }

    @Test
    void reshardingAtAnotherWorldSizeKeepsTheEpochsOrder() {
        var o = DistributedSampler.options().seed(9);
        int[] one = interleave(12, 1, o, 6);
        assertTrue(isPermutation(one));
        assertArrayEquals(one, interleave(12, 2, o, 6));
        assertArrayEquals(one, interleave(12, 3, o, 6));
        assertArrayEquals(one, interleave(12, 4, o, 6));
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(dataset(4), 2, 2));
        assertEquals("DistributedSampler: invalid rank 2, rank should be in the interval [0, 1] (num_replicas 2)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(dataset(4), 3, -1));
        assertTrue(e.getMessage().contains("invalid rank -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DistributedSampler(dataset(4), 0, 0));
        assertEquals("DistributedSampler: num_replicas must be >= 1, got 0", e.getMessage());
        var npe = assertThrows(NullPointerException.class,
                () -> new DistributedSampler(dataset(4), (ProcessGroup) null));
        assertTrue(npe.getMessage().contains("group is null"), npe.getMessage());
    }

    @Test
    void defaultsArePyTorchsAndTheGroupGivesRankAndWorldSize() {
        assertEquals(new DistributedSampler.Options(true, 0, false), DistributedSampler.options());
        DistributedSampler s = new DistributedSampler(dataset(9), new RankOf(1, 3));
        assertEquals(3, s.numReplicas());
        assertEquals(1, s.rank());
        assertTrue(s.shuffle());
        assertEquals(0, s.seed());
        assertFalse(s.dropLast());
        assertArrayEquals(new DistributedSampler(dataset(9), 3, 1).indices(), s.indices());
        DistributedSampler fromDefault = new DistributedSampler(dataset(9));
        assertEquals(Distributed.worldSize(), fromDefault.numReplicas(), "the group joined, or a world of one");
        assertEquals(Distributed.rank(), fromDefault.rank());
    }

    @Test
    void aLoaderBatchesTheSamplersIndicesAndForwardsTheEpoch() {
        int n = 21;
        float[] x = new float[n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) y[i] = i;
        TensorDataset data = new TensorDataset(x, new int[] {1}, y);
        long[] seen = new long[0];
        for (int rank = 0; rank < 2; rank++) {
            DistributedSampler s = new DistributedSampler(data, 2, rank);
            DataLoader loader = new DataLoader(data, 4, DataLoader.options().sampler(s).prefetch(rank));
            assertEquals(3, loader.numBatches(), "ceil(11 / 4) batches of this rank's 11 samples");
            loader.setEpoch(5);
            assertEquals(5, s.epoch(), "setEpoch is forwarded");
            long[] labels = new long[0];
            for (Batch b : loader) {
                try (b) {
                    long[] ys = b.y().toLongArray();
                    int old = labels.length;
                    labels = Arrays.copyOf(labels, old + ys.length);
                    System.arraycopy(ys, 0, labels, old, ys.length);
                }
            }
            assertArrayEquals(Arrays.stream(s.indices()).asLongStream().toArray(), labels);
            int old = seen.length;
            seen = Arrays.copyOf(seen, old + labels.length);
            System.arraycopy(labels, 0, seen, old, labels.length);
        }
        assertEquals(22, seen.length, "21 examples padded to 22");
        assertEquals(n, Arrays.stream(seen).distinct().count(), "the two ranks together see every example");
    }

    @Test
    void aSamplerExcludesShuffleAndMustFitTheDataset() {
        TensorDataset data = dataset(8);
        var sampler = new DistributedSampler(data, 2, 0);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(data, 2, DataLoader.options().sampler(sampler).shuffle(true)));
        assertTrue(e.getMessage().startsWith("DataLoader: sampler option is mutually exclusive with shuffle"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DataLoader.options().sampler(null));
        assertTrue(e.getMessage().contains("sampler is null"), e.getMessage());
        DataLoader tooSmall = new DataLoader(dataset(5), 2,
                DataLoader.options().sampler(new DistributedSampler(data, 1, 0)).prefetch(0));
        e = assertThrows(IllegalArgumentException.class, tooSmall::iterator);
        assertTrue(e.getMessage().contains("out of range for a dataset of 5 examples"), e.getMessage());
    }

    /** Rank {@code rank} of {@code size}, for the constructor that reads them from a group; no collectives. */
    private record RankOf(int rank, int worldSize) implements ProcessGroup {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int localRank() {
            return rank;
        }

        @Override
        public Work allReduce(List<Tensor> tensors, ReduceOp op) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Work broadcast(List<Tensor> tensors, int root) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void barrier() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long[] allGather(long value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double[] allReduce(double[] values, ReduceOp op) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void abort(String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}

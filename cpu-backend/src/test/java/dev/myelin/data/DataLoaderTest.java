package dev.myelin.data;

import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.nn.Linear;
import dev.myelin.random.Generator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Coverage, shuffling, drop-last, the prefetch thread's failures and shutdown. */
class DataLoaderTest {
    /** N examples of shape [2]: example i has features (i, -i) and label i % 7. */
    private static TensorDataset dataset(int n) {
        float[] x = new float[2 * n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 7;
        }
        return new TensorDataset(x, new int[] {2}, y);
    }

    /** The example indices of each batch, checking features and labels agree with the index. */
    private static List<int[]> epoch(Iterable<Batch> loader) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : loader) {
            try (b) {
                int n = b.size();
                assertArrayEquals(new int[] {n, 2}, b.x().shape());
                assertArrayEquals(new int[] {n}, b.y().shape());
                float[] x = b.x().toFloatArray();
                long[] y = b.y().toLongArray();
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = (int) x[2 * i];
                    assertEquals(-idx[i], x[2 * i + 1]);
                    assertEquals(idx[i] % 7, y[i]);
                }
                out.add(idx);
            }
        }
        return out;
    }

    private static int[] flat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void everyIndexOnceInOrderWithPartialLastBatch() {
        for (int prefetch : new int[] {0, 2}) {
            DataLoader loader = new DataLoader(dataset(10), 4, DataLoader.options().prefetch(prefetch));
            assertEquals(3, loader.numBatches());
            List<int[]> batches = epoch(loader);
            assertEquals(List.of(4, 4, 2), batches.stream().map(b -> b.length).toList());
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, flat(batches));
        }
    }

    @Test
    void dropLastSkipsThePartialBatch() {
        DataLoader loader = new DataLoader(dataset(10), 4, DataLoader.options().dropLast(true));
        assertEquals(2, loader.numBatches());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, flat(epoch(loader)));
        DataLoader exact = new DataLoader(dataset(8), 4, DataLoader.options().shuffle(true).seed(5).dropLast(true));
        assertEquals(8, flat(epoch(exact)).length);
    }

    @Test
    void shuffleIsAPermutationReproducibleFromSeedAndEpoch() {
        DataLoader a = new DataLoader(dataset(50), 8, DataLoader.options().shuffle(true).seed(42));
        DataLoader b = new DataLoader(dataset(50), 8, DataLoader.options().shuffle(true).seed(42).prefetch(0));
        int[] a0 = flat(epoch(a)), a1 = flat(epoch(a));
        int[] b0 = flat(epoch(b)), b1 = flat(epoch(b));
        assertArrayEquals(a0, b0);
        assertArrayEquals(a1, b1);
        assertFalse(Arrays.equals(a0, a1), "epochs must differ");
        assertArrayEquals(DataLoader.permutation(50, 42, 1), a1);
        int[] sorted = a0.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(sorted, a0), "a shuffled epoch must not be the identity");
        // setEpoch replays an epoch; another seed gives another order.
        b.setEpoch(1);
        assertArrayEquals(a1, flat(epoch(b)));
        assertFalse(Arrays.equals(a0,
                flat(epoch(new DataLoader(dataset(50), 8, DataLoader.options().shuffle(true).seed(43))))));
    }

    @Test
    void shuffleFromItsOwnGeneratorIsReproducibleAndLeavesTheDefaultOneAlone() {
        Generator global = Generator.defaultGenerator();
        long before = global.offset();
        DataLoader a = new DataLoader(dataset(50), 8, DataLoader.options().shuffle(true).generator(new Generator(3)));
        int[] a0 = flat(epoch(a)), a1 = flat(epoch(a));
        assertEquals(before, global.offset(), "a loader with its own generator moved the default one");
        // Another loader on a fresh generator of the same seed, the default generator drawing in between.
        DataLoader b = new DataLoader(dataset(50), 8,
                DataLoader.options().shuffle(true).generator(new Generator(3)).prefetch(0));
        Myelin.manualSeed(5);
        int[] b0 = flat(epoch(b));
        new Linear(4, 4);
        int[] b1 = flat(epoch(b));
        assertArrayEquals(a0, b0);
        assertArrayEquals(a1, b1);
        assertFalse(Arrays.equals(a0, a1), "epochs must differ");
        int[] sorted = a0.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(a0,
                flat(epoch(new DataLoader(dataset(50), 8,
                        DataLoader.options().shuffle(true).generator(new Generator(4)))))),
                "seed 4 gave seed 3's order");
        // Each epoch takes one draw from the generator: a generator at the same position gives the same order.
        Generator g = new Generator(3);
        DataLoader c = new DataLoader(dataset(50), 8, DataLoader.options().shuffle(true).generator(g).prefetch(0));
        flat(epoch(c));
        Generator replay = new Generator(3);
        replay.setState(g.seed(), g.offset());
        assertArrayEquals(a1,
                flat(epoch(new DataLoader(dataset(50), 8,
                        DataLoader.options().shuffle(true).generator(replay).prefetch(0)))));
    }

    @Test
    void genericDatasetStacksExamples() {
        Dataset squares = new Dataset() {
            public int size() {
                return 5;
            }

            public Example get(int i) {
                return new Example(Tensor.of(new float[] {i, i * i}, 2), i);
            }
        };
        List<long[]> labels = new ArrayList<>();
        for (Batch b : new DataLoader(squares, 2, DataLoader.options().prefetch(1))) {
            try (b) {
                assertEquals(2, b.x().dim());
                float[] x = b.x().toFloatArray();
                for (int i = 0; i < b.size(); i++) assertEquals(x[2 * i] * x[2 * i], x[2 * i + 1]);
                labels.add(b.y().toLongArray());
            }
        }
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, labels.stream().flatMapToLong(Arrays::stream).toArray());
    }

    @Test
    void loaderThreadExceptionReachesTheConsumerWithItsCause() {
        Dataset failing = new Dataset() {
            public int size() {
                return 10;
            }

            public Example get(int i) {
                if (i == 5) throw new IllegalStateException("broken example 5");
                return new Example(Tensor.of(new float[] {i}, 1), i);
            }
        };
        DataLoader.BatchIterator it = new DataLoader(failing, 2).iterator();
        DataLoaderException e = assertThrows(DataLoaderException.class, () -> {
            while (it.hasNext()) it.next().close();
        });
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("broken example 5", e.getCause().getMessage());
        assertFalse(it.hasNext());
    }

    @Test
    void closingAnAbandonedEpochStopsTheThread() throws InterruptedException {
        DataLoader.BatchIterator it = new DataLoader(dataset(1000), 1).iterator();
        Thread t = it.loaderThread();
        assertTrue(t.isDaemon());
        it.next().close();
        it.close();
        t.join(5000);
        assertFalse(t.isAlive(), "loader thread still running after close");
        assertFalse(it.hasNext());
    }

    @Test
    void anUnreachableIteratorStopsItsThread() throws InterruptedException {
        Thread t = startAndDrop();
        for (int i = 0; i < 100 && t.isAlive(); i++) {
            System.gc();
            t.join(50);
        }
        assertFalse(t.isAlive(), "loader thread of an abandoned iterator still running");
    }

    private static Thread startAndDrop() {
        DataLoader.BatchIterator it = new DataLoader(dataset(1000), 1).iterator();
        it.next().close();
        return it.loaderThread();
    }

    @Test
    void finishedEpochEndsTheThread() throws InterruptedException {
        DataLoader.BatchIterator it = new DataLoader(dataset(5), 2).iterator();
        Thread t = it.loaderThread();
        while (it.hasNext()) it.next().close();
        t.join(5000);
        assertFalse(t.isAlive());
    }

    @Test
    void batchesOutliveAScopeOpenAroundTheLoop() {
        for (int prefetch : new int[] {0, 2}) {
            Batch kept;
            try (MemoryScope scope = MemoryScope.open()) {
                kept = new DataLoader(dataset(3), 2, DataLoader.options().prefetch(prefetch)).iterator().next();
                assertEquals(0, scope.ownedCount(), "prefetch " + prefetch);
            }
            try (kept) {
                assertArrayEquals(new float[] {0, 0, 1, -1}, kept.x().toFloatArray());
                assertArrayEquals(new long[] {0, 1}, kept.y().toLongArray());
            }
            assertTrue(kept.x().isClosed());
        }
    }

    @Test
    void badArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(dataset(3), 0));
        assertTrue(e.getMessage().contains("batch_size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(dataset(3), 1, DataLoader.options().prefetch(-1)));
        assertTrue(e.getMessage().contains("prefetch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(new float[5], new int[] {2}, new long[3]));
        assertTrue(e.getMessage().contains("TensorDataset"), e.getMessage());
        var it = new DataLoader(dataset(0), 2).iterator();
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }
}

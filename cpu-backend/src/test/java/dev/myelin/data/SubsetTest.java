package dev.myelin.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SubsetTest {
    private static final TensorDataset DATA = new TensorDataset(new float[] {0, 1, 10, 11, 20, 21, 30, 31},
            new int[] {2}, new long[] {0, 1, 2, 3});

    @Test
    void mapsIndicesForSingleExamplesAndBatches() {
        Subset s = new Subset(DATA, new int[] {3, 1});
        assertEquals(2, s.size());
        assertEquals(3, s.get(0).label());
        try (Batch b = s.batch(new int[] {1, 0})) {
            assertArrayEquals(new double[] {10, 11, 30, 31}, b.x().toDoubleArray());
            assertArrayEquals(new long[] {1, 3}, b.y().toLongArray());
        }
        assertEquals(4, Subset.first(DATA, 10).size());
        assertEquals(2, Subset.first(DATA, 2).get(1).label() + 1);
    }

    @Test
    void rejectsIndicesOutOfRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Subset(DATA, new int[] {4}));
        assertEquals("subset: index 4 is out of range for a dataset of 4 examples", e.getMessage());
    }
}

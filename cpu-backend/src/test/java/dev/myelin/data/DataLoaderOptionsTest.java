package dev.myelin.data;

import dev.myelin.random.Generator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link DataLoader.Options}: PyTorch's defaults, and the same loader as the positional constructors. */
class DataLoaderOptionsTest {
    private static TensorDataset dataset(int n) {
        float[] x = new float[n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i;
        }
        return new TensorDataset(x, new int[] {1}, y);
    }

    /** The labels (= example indices) of one epoch, batch by batch. */
    private static List<List<Long>> epoch(DataLoader loader) {
        List<List<Long>> out = new ArrayList<>();
        for (Batch b : loader) {
            try (b) {
                List<Long> ids = new ArrayList<>();
                for (long v : b.y().toLongArray()) ids.add(v);
                out.add(ids);
            }
        }
        return out;
    }

    @Test
    void defaultsArePyTorchs() {
        assertEquals(new DataLoader.Options(false, 0, null, false, 2), DataLoader.options());
        assertEquals(epoch(new DataLoader(dataset(10), 4, DataLoader.options())),
                epoch(new DataLoader(dataset(10), 4)));
        assertEquals(3, new DataLoader(dataset(10), 4).numBatches(), "the last partial batch is kept");
    }

    @Test
    @SuppressWarnings("deprecation")
    void sameLoaderAsThePositionalConstructors() {
        assertEquals(epoch(new DataLoader(dataset(30), 4, true, 42, true, 0)),
                epoch(new DataLoader(dataset(30), 4,
                        DataLoader.options().shuffle(true).seed(42).dropLast(true).prefetch(0))));
        assertEquals(epoch(new DataLoader(dataset(30), 4, true, new Generator(7), false, 2)),
                epoch(new DataLoader(dataset(30), 4, DataLoader.options().shuffle(true).generator(new Generator(7)))));
    }

    @Test
    void seedAndGeneratorAreOneSourceOfTheOrder() {
        Generator g = new Generator(1);
        DataLoader.Options fromGenerator = DataLoader.options().shuffle(true).generator(g);
        assertSame(g, new DataLoader(dataset(5), 2, fromGenerator).generator());
        assertNull(fromGenerator.seed(3).generator(), "seed(...) goes back to an order from (seed, epoch)");
        var e = assertThrows(IllegalArgumentException.class, () -> DataLoader.options().generator(null));
        assertEquals("DataLoader.Options: generator is null; use seed(long) for an order from a seed, "
                + "or Generator.defaultGenerator()", e.getMessage());
    }
}

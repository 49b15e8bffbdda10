package dev.myelin.distributed.mpi;

import dev.myelin.DType;
import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packing tensors into per-dtype buffers and back, and the validation of a collective's tensors. */
class StagingTest {
    @Test
    void tensorsArePackedPerDtypeInListOrderWhateverTheirLayout() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor d = Tensor.of(new double[] {10, 20}, 2);
        Tensor b = Tensor.of(new float[] {7, 8, 9, 10}, 2, 2).t(); // 7 9 8 10 in row-major order of the view
        try (Staging s = new Staging("allReduce", List.of(a, d, b), true, new StagingBuffers())) {
            assertEquals(2, s.parts().size());
            Staging.Part f32 = s.parts().get(0);
            assertEquals(DType.FLOAT32, f32.dtype());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 9, 8, 10},
                    f32.buffer().toArray(ValueLayout.JAVA_FLOAT));
            assertArrayEquals(new double[] {10, 20}, s.parts().get(1).buffer().toArray(ValueLayout.JAVA_DOUBLE));
        }
    }

    @Test
    void copyOutWritesEachTensorAndOnlyItsElements() {
        Tensor base = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor column = base.slice(1, 1, 2); // elements 2 and 5
        Tensor plain = Tensor.of(new float[] {0, 0}, 2);
        int before = plain.version();
        try (Staging s = new Staging("broadcast", List.of(column, plain), false, new StagingBuffers())) {
            var buf = s.parts().getFirst().buffer();
            float[] values = {-1, -2, -3, -4};
            for (int i = 0; i < 4; i++) buf.setAtIndex(ValueLayout.JAVA_FLOAT, i, values[i]);
            s.copyOut();
        }
        assertArrayEquals(new float[] {1, -1, 3, 4, -2, 6}, base.toFloatArray());
        assertArrayEquals(new float[] {-3, -4}, plain.toFloatArray());
        assertTrue(plain.version() > before, "an in-place write counts");
    }

    @Test
    void tensorsLargerThanOneChunkRoundTripContiguousOrNot() {
        int rows = (1 << 20) + 3; // more than one chunk of Storage's default copies
        double[] v = new double[rows * 2];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.5;
        Tensor t = Tensor.of(v, rows * 2);
        Tensor base = Tensor.of(v, rows, 2);
        Tensor column = base.select(1, 1); // every other element: strided, more than a chunk
        try (Staging s = new Staging("allReduce", List.of(t, column), true, new StagingBuffers())) {
            var buf = s.parts().getFirst().buffer();
            assertEquals(v[v.length - 1], buf.getAtIndex(ValueLayout.JAVA_DOUBLE, v.length - 1));
            assertEquals(v[v.length - 1], buf.getAtIndex(ValueLayout.JAVA_DOUBLE, v.length + rows - 1));
            for (long i = 0; i < buf.byteSize() / 8; i++) {
                buf.setAtIndex(ValueLayout.JAVA_DOUBLE, i, -1 - buf.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
            }
            s.copyOut();
        }
        double[] got = t.toDoubleArray();
        double[] got2 = base.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (got[i] != -1 - v[i]) throw new AssertionError("contiguous: element " + i + " is " + got[i]);
            double want = i % 2 == 1 ? -1 - v[i] : v[i];
            if (got2[i] != want) throw new AssertionError("column: element " + i + " is " + got2[i]);
        }
    }

    @Test
    void badTensorsAreRefusedNamingTheOpTheIndexTheShapeAndTheDtype() {
        Tensor ok = Tensor.zeros(3);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Staging.validate("allReduce(SUM)", java.util.Arrays.asList(ok, null)));
        assertTrue(e.getMessage().startsWith("allReduce(SUM): tensor 1 is null"), e.getMessage());

        Tensor closed = Tensor.zeros(4, 1);
        closed.close();
        e = assertThrows(IllegalArgumentException.class, () -> Staging.validate("broadcast(root 0)",
                List.of(ok, ok, closed)));
        assertTrue(e.getMessage().contains("broadcast(root 0): tensor 2 (shape [4, 1], FLOAT32) was freed"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Staging.validate("allReduce(SUM)",
                List.of(Tensor.zeros(1, 3).expand(4, 3))));
        assertTrue(e.getMessage().contains("tensor 0 (shape [4, 3], FLOAT32) is an expanded view"), e.getMessage());

        List<Tensor> withNull = new ArrayList<>(Arrays.asList(ok, null));
        e = assertThrows(IllegalArgumentException.class, () -> Staging.validate("allReduce(MAX)", withNull));
        assertEquals("allReduce(MAX): tensor 1 is null", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Staging.validate("allReduce(MAX)", null));
    }
}

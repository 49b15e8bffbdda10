package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Storage;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.*;

/** Storage's copies to and from native memory (the MPI transport stages through them): CPU's and the default. */
class NativeCopyTest {
    @Test
    void cpuStorageCopiesEachDtypeAtAnOffset() {
        for (DType dtype : DType.values()) {
            Tensor t = Tensor.arange(10, dtype);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocate(4 * dtype.byteSize());
                t.storage().readTo(3, buf, 4);
                for (int i = 0; i < 4; i++) {
                    assertEquals(3 + i, valueAt(buf, dtype, i), dtype + " element " + i);
                }
                t.storage().writeFrom(buf, 6, 4); // elements 3..6 written over 6..9
                assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 3, 4, 5, 6}, t.toLongArray(), dtype.toString());
            }
        }
    }

    @Test
    void theDefaultCopiesGoThroughHostArraysInChunks() {
        int n = (1 << 20) + 5; // more than one chunk
        double[] data = new double[n];
        for (int i = 0; i < n; i++) data[i] = i * 0.5;
        Storage host = new Storage(DType.FLOAT64, n) {
            @Override
            public Backend backend() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(long offset, Object hostArray, int arrayPos, int length) {
                System.arraycopy(hostArray, arrayPos, data, (int) offset, length);
            }

            @Override
            public void read(long offset, Object hostArray, int arrayPos, int length) {
                System.arraycopy(data, (int) offset, hostArray, arrayPos, length);
            }

            @Override
            protected void free() {}
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate((long) (n - 1) * Double.BYTES);
            host.readTo(1, buf, n - 1);
            assertEquals(0.5, buf.getAtIndex(ValueLayout.JAVA_DOUBLE, 0));
            assertEquals((n - 1) * 0.5, buf.getAtIndex(ValueLayout.JAVA_DOUBLE, n - 2));
            for (long i = 0; i < n - 1; i++) buf.setAtIndex(ValueLayout.JAVA_DOUBLE, i, -i);
            host.writeFrom(buf, 0, n - 1);
            assertEquals(0.0, data[0]);
            assertEquals(-(n - 2.0), data[n - 2]);
            assertEquals((n - 1) * 0.5, data[n - 1]); // beyond count: untouched
        }
    }

    private static double valueAt(MemorySegment buf, DType dtype, int i) {
        return switch (dtype) {
            case FLOAT32 -> buf.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            case FLOAT64 -> buf.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            case INT32 -> buf.getAtIndex(ValueLayout.JAVA_INT, i);
            case INT64 -> buf.getAtIndex(ValueLayout.JAVA_LONG, i);
        };
    }
}

package dev.myelin.cuda.runtime;

import dev.myelin.DType;
import dev.myelin.Device;
import dev.myelin.Tensor;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Storage;
import dev.myelin.cuda.CudaBackend;
import dev.myelin.cuda.GpuRequired;
import dev.myelin.cuda.GpuTest;
import dev.myelin.ops.Creation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@GpuTest
class CudaStorageTest {
    @Test
    void everyDtypeRoundTripsWithOffsets() {
        CudaBackend b = GpuRequired.backend();
        Storage f = b.allocate(DType.FLOAT32, 10);
        f.write(2, new float[] {9, 1.5f, -2.25f, Float.NaN, 9}, 1, 3);
        float[] fr = new float[5];
        f.read(2, fr, 2, 3);
        assertArrayEquals(new float[] {0, 0, 1.5f, -2.25f, Float.NaN}, fr);
        f.release();

        Storage d = b.allocate(DType.FLOAT64, 3);
        d.write(0, new double[] {Math.PI, -0.0, 1e300}, 0, 3);
        double[] dr = new double[3];
        d.read(0, dr, 0, 3);
        assertArrayEquals(new double[] {Math.PI, -0.0, 1e300}, dr);
        d.release();

        Storage i = b.allocate(DType.INT32, 4);
        i.write(1, new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, 0, 3);
        int[] ir = new int[3];
        i.read(1, ir, 0, 3);
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, ir);
        i.release();

        Storage l = b.allocate(DType.INT64, 2);
        l.write(0, new long[] {Long.MIN_VALUE, 1L << 40}, 0, 2);
        long[] lr = new long[2];
        l.read(0, lr, 0, 2);
        assertArrayEquals(new long[] {Long.MIN_VALUE, 1L << 40}, lr);
        l.release();
    }

    @Test
    void copiesLargerThanTheStagingBufferArriveWhole() {
        int n = (int) (HostStaging.CAPACITY / 4 * 2 + 12345);
        float[] data = new float[n];
        for (int k = 0; k < n; k++) data[k] = k * 0.5f;
        Storage s = GpuRequired.backend().allocate(DType.FLOAT32, n);
        s.write(0, data, 0, n);
        float[] back = new float[n];
        s.read(0, back, 0, n);
        assertArrayEquals(data, back);
        s.release();
    }

    @Test
    void badArgumentsAreClearErrors() {
        Storage s = GpuRequired.backend().allocate(DType.FLOAT32, 4);
        var wrongType = assertThrows(IllegalArgumentException.class, () -> s.write(0, new double[4], 0, 4));
        assertTrue(wrongType.getMessage().contains("FLOAT32") && wrongType.getMessage().contains("double[]"),
                wrongType.getMessage());
        var outside = assertThrows(IndexOutOfBoundsException.class, () -> s.read(2, new float[4], 0, 3));
        assertTrue(outside.getMessage().contains("storage holds 4"), outside.getMessage());
        s.release();
        assertThrows(IllegalStateException.class, () -> ((CudaStorage) s).address());
    }

    @Test
    void tensorsMoveBetweenCpuAndCuda() {
        Tensor cpu = Creation.fromHost(Backends.get("cpu"), DType.FLOAT32, new float[] {1, 2, 3, 4, 5, 6}, 6, 2, 3);
        assertEquals("cpu", cpu.device().type());
        Tensor gpu = cpu.to(Device.cuda(0));
        assertEquals(Backends.get("cuda"), gpu.backend());
        Tensor back = gpu.to(Device.CPU);
        assertArrayEquals(new int[] {2, 3}, back.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, back.toFloatArray());
    }
}

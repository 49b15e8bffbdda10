package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.backend.Storage;
import dev.myelin.cuda.runtime.CudaOutOfMemoryException;
import dev.myelin.cuda.runtime.MemoryStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@GpuTest
class CudaMemoryTest {
    @Test
    void aTrainingLikeLoopReachesASteadyStateWithoutDriverAllocations() {
        CudaBackend b = GpuRequired.backend();
        for (int warm = 0; warm < 2; warm++) step(b);
        MemoryStats before = CudaMemory.stats();
        for (int i = 0; i < 20; i++) step(b);
        MemoryStats after = CudaMemory.stats();
        assertEquals(before.allocCalls(), after.allocCalls(), "steady state must not call cuMemAlloc: " + after);
        assertEquals(before.bytesInUse(), after.bytesInUse(), "memory in use must stay flat");
        assertTrue(after.cacheHits() >= before.cacheHits() + 20 * 3);
    }

    private static void step(CudaBackend b) {
        Storage x = b.allocate(DType.FLOAT32, 1000), y = b.allocate(DType.FLOAT32, 3000),
                z = b.allocate(DType.INT64, 7);
        x.release();
        y.release();
        z.release();
    }

    @Test
    void emptyCacheReturnsCachedBlocksToTheDriver() {
        CudaBackend b = GpuRequired.backend();
        Storage s = b.allocate(DType.FLOAT32, 1 << 20);
        s.release();
        assertTrue(CudaMemory.stats().bytesCached() >= 4L << 20);
        long freesBefore = CudaMemory.stats().freeCalls();
        CudaMemory.emptyCache();
        assertEquals(0, CudaMemory.stats().bytesCached());
        assertTrue(CudaMemory.stats().freeCalls() > freesBefore);
    }

    @Test
    void outOfMemoryIsAClearExceptionAndTheDeviceStaysUsable() {
        CudaBackend b = GpuRequired.backend();
        long tooMany = b.cudaDevice().totalMemory() / 4 * 2; // elements of 4 bytes: twice the device
        var e = assertThrows(CudaOutOfMemoryException.class, () -> b.allocate(DType.FLOAT32, tooMany));
        assertTrue(e.getMessage().contains("out of device memory") && e.getMessage().contains("device total"),
                e.getMessage());
        Storage ok = b.allocate(DType.FLOAT32, 4);
        ok.write(0, new float[] {1, 2, 3, 4}, 0, 4);
        float[] back = new float[4];
        ok.read(0, back, 0, 4);
        assertArrayEquals(new float[] {1, 2, 3, 4}, back);
        ok.release();
    }
}

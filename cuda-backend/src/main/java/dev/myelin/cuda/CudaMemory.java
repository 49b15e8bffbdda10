package dev.myelin.cuda;

import dev.myelin.backend.Backend;

/**
 * The CUDA backend's device memory, as PyTorch's {@code torch.cuda.memory_*}: statistics of the
 * caching allocator and a way to give cached blocks back to the driver.
 */
public final class CudaMemory {
    /**
     * @param bytesInUse bytes in blocks held by live storages
     * @param bytesCached bytes in freed blocks kept for reuse
     * @param peakBytesInUse the most bytesInUse has been (since the device opened or {@link #resetPeak()})
     * @param allocCalls cuMemAlloc calls made
     * @param freeCalls cuMemFree calls made
     * @param cacheHits allocations served from the cache without a driver call
     */
    public record Stats(long bytesInUse, long bytesCached, long peakBytesInUse, long allocCalls, long freeCalls,
                        long cacheHits) {
        static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0);
    }

    private CudaMemory() {}

    /** The allocator's statistics; all zero when the CUDA device was never opened. */
    public static Stats stats() {
        CudaDevice d = CudaDevice.ifOpen();
        return d == null ? Stats.NONE : d.allocator().stats();
    }

    /**
     * The statistics of a CUDA backend's allocator (the device's, as {@link #stats()}, or the host
     * memory of a test backend).
     *
     * @throws IllegalArgumentException when the backend is not a CUDA backend
     */
    public static Stats stats(Backend backend) {
        if (!(backend instanceof CudaBackend cuda)) {
            throw new IllegalArgumentException("CudaMemory.stats: backend " + (backend == null ? "null" : backend.name())
                    + " is not a CUDA backend");
        }
        return cuda.context().allocator().stats();
    }

    /** Frees every cached block (memory held by live tensors stays). Waits for queued work first. */
    public static void emptyCache() {
        CudaDevice d = CudaDevice.ifOpen();
        if (d == null) return;
        d.synchronize();
        d.allocator().emptyCache();
    }

    /** Starts a new peak measurement from the bytes in use now. */
    public static void resetPeak() {
        CudaDevice d = CudaDevice.ifOpen();
        if (d != null) d.allocator().resetPeak();
    }
}

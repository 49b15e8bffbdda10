package dev.myelin.cuda;

import dev.myelin.backend.Backend;
import dev.myelin.cuda.runtime.CudaDevice;
import dev.myelin.cuda.runtime.MemoryStats;

/**
 * The CUDA backend's device memory, as PyTorch's {@code torch.cuda.memory_*}: statistics of the
 * caching allocator ({@link MemoryStats}) and a way to give cached blocks back to the driver.
 */
public final class CudaMemory {
    private CudaMemory() {}

    /** The allocator's statistics; all zero when the CUDA device was never opened. */
    public static MemoryStats stats() {
        CudaDevice d = CudaDevice.ifOpen();
        return d == null ? MemoryStats.NONE : d.allocator().stats();
    }

    /**
     * The statistics of a CUDA backend's allocator (the device's, as {@link #stats()}, or the host
     * memory of a test backend).
     *
     * @throws IllegalArgumentException when the backend is not a CUDA backend
     */
    public static MemoryStats stats(Backend backend) {
        if (!(backend instanceof CudaBackend cuda)) {
            throw new IllegalArgumentException("CudaMemory.stats: backend "
                    + (backend == null ? "null" : backend.name()) + " is not a CUDA backend");
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

package dev.myelin.cuda.runtime;

/**
 * Statistics of the CUDA backend's caching allocator, as PyTorch's {@code torch.cuda.memory_stats}
 * ({@code dev.myelin.cuda.CudaMemory#stats()}).
 *
 * @param bytesInUse bytes in blocks held by live storages
 * @param bytesCached bytes in freed blocks kept for reuse
 * @param peakBytesInUse the most bytesInUse has been (since the device opened or the last reset of the peak)
 * @param allocCalls cuMemAlloc calls made
 * @param freeCalls cuMemFree calls made
 * @param cacheHits allocations served from the cache without a driver call
 */
public record MemoryStats(long bytesInUse, long bytesCached, long peakBytesInUse, long allocCalls, long freeCalls,
                          long cacheHits) {
    /** All zero: the device was never opened. */
    public static final MemoryStats NONE = new MemoryStats(0, 0, 0, 0, 0, 0);
}

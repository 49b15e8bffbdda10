package dev.myelin.cuda.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching device allocator: a freed block goes to a free list of its size class
 * ({@link SizeClasses}) and serves the next request of that class, so a training step that
 * allocates the same shapes every iteration reaches a steady state with no driver calls.
 * Reuse is safe because all of the backend's work runs in order on one stream: a block freed
 * on the host is reused only by work queued after the work that last read it.
 *
 * <p>When the device is out of memory, the cache is emptied once and the allocation retried;
 * if it still fails, {@link CudaOutOfMemoryException} says how much was asked, in use, cached
 * and on the device. Thread-safe.
 *
 * <p>Internal: not part of the API.
 */
public final class CachingAllocator {
    private final DeviceMemory memory;
    private final Map<Long, ArrayDeque<Long>> freeBlocks = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long peakBytesInUse;
    private long allocCalls;
    private long freeCalls;
    private long cacheHits;

    CachingAllocator(DeviceMemory memory) {
        this.memory = memory;
    }

    /** A block of at least {@code bytes} bytes (its size is {@link SizeClasses#roundUp}); 0 for 0 bytes. */
    public synchronized long allocate(long bytes) {
        if (bytes == 0) return 0;
        long size = SizeClasses.roundUp(bytes);
        ArrayDeque<Long> list = freeBlocks.get(size);
        long address;
        if (list != null && !list.isEmpty()) {
            address = list.pop();
            bytesCached -= size;
            cacheHits++;
        } else {
            address = fromDevice(bytes, size);
        }
        bytesInUse += size;
        peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
        return address;
    }

    private long fromDevice(long bytes, long size) {
        allocCalls++;
        long address = memory.allocate(size);
        if (address != 0) return address;
        long cachedBefore = bytesCached;
        emptyCache();
        allocCalls++;
        address = memory.allocate(size);
        if (address != 0) return address;
        throw new CudaOutOfMemoryException("cuda: out of device memory allocating " + Bytes.show(bytes) + " (block of "
                + Bytes.show(size) + "): " + Bytes.show(bytesInUse) + " in use by tensors, " + Bytes.show(cachedBefore)
                + " was cached (freed and retried), device total " + Bytes.show(memory.totalBytes()) + " of which "
                + Bytes.show(memory.freeBytes()) + " free. Free tensors (close a MemoryScope) or use smaller batches.",
                bytes);
    }

    /** Returns a block from {@link #allocate} of the same requested size to the cache. */
    public synchronized void release(long address, long bytes) {
        if (address == 0) return;
        long size = SizeClasses.roundUp(bytes);
        bytesInUse -= size;
        bytesCached += size;
        freeBlocks.computeIfAbsent(size, s -> new ArrayDeque<>()).push(address);
    }

    /** Gives every cached block back to the device. */
    public synchronized void emptyCache() {
        if (bytesCached == 0) return;
        memory.synchronize();
        for (Map.Entry<Long, ArrayDeque<Long>> e : freeBlocks.entrySet()) {
            for (long address : e.getValue()) {
                memory.free(address);
                freeCalls++;
            }
            e.getValue().clear();
        }
        freeBlocks.clear();
        bytesCached = 0;
    }

    public synchronized void resetPeak() {
        peakBytesInUse = bytesInUse;
    }

    public synchronized MemoryStats stats() {
        return new MemoryStats(bytesInUse, bytesCached, peakBytesInUse, allocCalls, freeCalls, cacheHits);
    }
}

package dev.myelin.cuda.runtime;

/**
 * The scratch memory cuDNN's algorithms ask for: one block, grown when an algorithm needs more
 * and otherwise reused by every call. Safe to reuse because all calls run in order on one stream.
 *
 * <p>Internal: not part of the API.
 */
public final class CudnnWorkspace {
    private final CachingAllocator allocator;
    private long address;
    private long bytes;

    public CudnnWorkspace(CachingAllocator allocator) {
        this.allocator = allocator;
    }

    /** A device address with at least {@code needed} bytes; may throw {@link CudaOutOfMemoryException}. */
    public synchronized long ensure(long needed) {
        if (needed <= bytes) return address;
        long fresh = allocator.allocate(needed);
        if (address != 0) allocator.release(address, bytes);
        address = fresh;
        bytes = needed;
        return address;
    }
}

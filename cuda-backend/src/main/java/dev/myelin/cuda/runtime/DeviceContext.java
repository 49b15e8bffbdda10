package dev.myelin.cuda.runtime;

import java.lang.foreign.MemorySegment;

/**
 * What storages and the library-backed families need from the device: its context made current,
 * its allocator, and memory fills and host copies. {@link CudaDevice#context()} in production;
 * tests without a GPU give host memory instead.
 *
 * <p>Internal: not part of the API.
 */
public interface DeviceContext {
    void makeCurrent();

    CachingAllocator allocator();

    /** Queues setting {@code bytes} bytes at {@code address} to zero. */
    void zero(long address, long bytes);

    /** Copies host bytes to the device, waiting for queued work and for the copy. */
    void upload(long dst, MemorySegment src, long srcOffset, long bytes);

    /** Copies device bytes to the host, waiting for queued work and for the copy. */
    void download(MemorySegment dst, long dstOffset, long src, long bytes);
}

package dev.myelin.cuda.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Temporary device blocks for one operation, returned to the cache when it closes. Returning
 * them right after the work is queued is safe: later work that reuses a block is queued on the
 * same stream, behind this operation.
 *
 * <p>Internal: not part of the API.
 */
public final class DeviceScratch implements AutoCloseable {
    private final CachingAllocator allocator;
    private final List<long[]> blocks = new ArrayList<>();

    public DeviceScratch(CachingAllocator allocator) {
        this.allocator = allocator;
    }

    public long take(long bytes) {
        long address = allocator.allocate(bytes);
        blocks.add(new long[] {address, bytes});
        return address;
    }

    @Override
    public void close() {
        for (long[] b : blocks) allocator.release(b[0], b[1]);
        blocks.clear();
    }
}

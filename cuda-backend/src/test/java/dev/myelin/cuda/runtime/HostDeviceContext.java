package dev.myelin.cuda.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link DeviceContext} on host memory, for running the library-backed families against
 * stand-in libraries on machines without a GPU: "device" addresses are native host addresses.
 */
public final class HostDeviceContext implements DeviceContext {
    private final CachingAllocator allocator = new CachingAllocator(new HostMemory());

    /** Host blocks, each in its own arena so that it can be freed. */
    private static final class HostMemory implements DeviceMemory {
        private final Map<Long, Arena> blocks = new HashMap<>();

        @Override
        public synchronized long allocate(long bytes) {
            Arena arena = Arena.ofShared();
            long address = arena.allocate(bytes, 256).address();
            blocks.put(address, arena);
            return address;
        }

        @Override
        public synchronized void free(long address) {
            blocks.remove(address).close();
        }

        @Override
        public long totalBytes() {
            return Runtime.getRuntime().maxMemory();
        }

        @Override
        public long freeBytes() {
            return Runtime.getRuntime().freeMemory();
        }
    }

    @Override
    public void makeCurrent() {}

    @Override
    public CachingAllocator allocator() {
        return allocator;
    }

    @Override
    public void zero(long address, long bytes) {
        at(address, bytes).fill((byte) 0);
    }

    @Override
    public void upload(long dst, MemorySegment src, long srcOffset, long bytes) {
        MemorySegment.copy(src, srcOffset, at(dst, bytes), 0, bytes);
    }

    @Override
    public void download(MemorySegment dst, long dstOffset, long src, long bytes) {
        MemorySegment.copy(at(src, bytes), 0, dst, dstOffset, bytes);
    }

    @SuppressWarnings("restricted") // the addresses are host blocks this class allocated
    private static MemorySegment at(long address, long bytes) {
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }
}

package dev.myelin.distributed.mpi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Native buffers kept from one collective to the next. A fresh buffer per collective pays for zeroing and
 * first-touch page faults every time (milliseconds for a DistributedDataParallel gradient bucket of a few
 * MB, each step); a data-parallel job reduces the same sizes every step, so a few buffers serve it all.
 */
final class StagingBuffers implements AutoCloseable {
    /** Free buffers kept at most; more would only hold memory a job of the same sizes never asks for. */
    private static final int MAX_FREE = 8;

    private final Map<MemorySegment, Arena> arenas = new IdentityHashMap<>();
    private final List<MemorySegment> free = new ArrayList<>();
    private boolean closed;

    /** A buffer of at least {@code bytes} (its contents are whatever the last user left). */
    synchronized MemorySegment take(long bytes) {
        if (closed) throw new IllegalStateException("staging buffers: the process group was closed");
        MemorySegment best = null;
        for (MemorySegment m : free) {
            if (m.byteSize() >= bytes && (best == null || m.byteSize() < best.byteSize())) best = m;
        }
        if (best != null) {
            free.remove(best);
            return best;
        }
        Arena arena = Arena.ofShared();
        MemorySegment fresh = arena.allocate(Math.max(bytes, 64), 64);
        arenas.put(fresh, arena);
        return fresh;
    }

    /** Takes back a buffer from {@link #take}; the largest are kept, the rest freed. */
    synchronized void give(MemorySegment buffer) {
        if (closed) {
            release(buffer);
            return;
        }
        free.add(buffer);
        if (free.size() > MAX_FREE) {
            MemorySegment smallest = free.getFirst();
            for (MemorySegment m : free) if (m.byteSize() < smallest.byteSize()) smallest = m;
            free.remove(smallest);
            release(smallest);
        }
    }

    /** Frees the free buffers; buffers still taken are freed when given back. */
    @Override
    public synchronized void close() {
        closed = true;
        free.forEach(this::release);
        free.clear();
    }

    private void release(MemorySegment buffer) {
        Arena arena = arenas.remove(buffer);
        if (arena != null) arena.close();
    }
}

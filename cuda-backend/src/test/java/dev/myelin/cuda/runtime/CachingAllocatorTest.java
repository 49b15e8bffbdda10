package dev.myelin.cuda.runtime;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The allocator's bookkeeping against a fake device; no GPU needed. */
class CachingAllocatorTest {
    /** A device of {@code capacity} bytes handing out increasing fake addresses. */
    static final class FakeDevice implements DeviceMemory {
        final long capacity;
        final Map<Long, Long> live = new HashMap<>();
        long used;
        long next = 0x1000_0000L;
        int syncs;

        FakeDevice(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long allocate(long bytes) {
            if (used + bytes > capacity) return 0;
            long a = next;
            next += bytes;
            live.put(a, bytes);
            used += bytes;
            return a;
        }

        @Override
        public void free(long address) {
            Long bytes = live.remove(address);
            if (bytes == null) throw new AssertionError("double or foreign free of 0x" + Long.toHexString(address));
            used -= bytes;
        }

        @Override
        public long totalBytes() {
            return capacity;
        }

        @Override
        public long freeBytes() {
            return capacity - used;
        }

        @Override
        public void synchronize() {
            syncs++;
        }
    }

    @Test
    void sizeClassesRoundUpTo512BytesThenQuarterPowersOfTwo() {
        assertEquals(512, SizeClasses.roundUp(1));
        assertEquals(512, SizeClasses.roundUp(512));
        assertEquals(1024, SizeClasses.roundUp(513));
        assertEquals(1L << 20, SizeClasses.roundUp((1L << 20) - 1));
        assertEquals(5L << 18, SizeClasses.roundUp((1L << 20) + 1)); // 1.25 MiB
        assertEquals(6L << 18, SizeClasses.roundUp((5L << 18) + 1)); // 1.5 MiB
        assertEquals(1L << 30, SizeClasses.roundUp(1L << 30));
        assertEquals(7L << 28, SizeClasses.roundUp((6L << 28) + 3)); // 1.75 GiB
        assertEquals(1L << 31, SizeClasses.roundUp((7L << 28) + 1));
        for (long b = 1; b < (1L << 34); b = b * 3 + 7) {
            long r = SizeClasses.roundUp(b);
            assertTrue(r >= b && r % 512 == 0, b + " -> " + r);
            assertTrue(b <= 512 || r <= b * 1.25 + 512, b + " wastes too much: " + r);
        }
        assertThrows(IllegalArgumentException.class, () -> SizeClasses.roundUp(-1));
    }

    @Test
    void aFreedBlockServesTheNextRequestOfItsClassWithoutADriverCall() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CachingAllocator a = new CachingAllocator(dev);
        long p = a.allocate(1000);
        a.release(p, 1000);
        long q = a.allocate(900); // same 1024-byte class
        assertEquals(p, q);
        MemoryStats s = a.stats();
        assertEquals(1, s.allocCalls());
        assertEquals(1, s.cacheHits());
        assertEquals(1024, s.bytesInUse());
        assertEquals(0, s.bytesCached());
        long r = a.allocate(2000); // another class: a new block
        assertNotEquals(p, r);
        assertEquals(2, a.stats().allocCalls());
    }

    @Test
    void statsTrackInUseCachedAndPeak() {
        CachingAllocator a = new CachingAllocator(new FakeDevice(1L << 30));
        long x = a.allocate(4096), y = a.allocate(8192);
        assertEquals(12288, a.stats().bytesInUse());
        a.release(x, 4096);
        assertEquals(8192, a.stats().bytesInUse());
        assertEquals(4096, a.stats().bytesCached());
        assertEquals(12288, a.stats().peakBytesInUse());
        a.resetPeak();
        assertEquals(8192, a.stats().peakBytesInUse());
        a.release(y, 8192);
        assertEquals(0, a.stats().bytesInUse());
        assertEquals(12288, a.stats().bytesCached());
        assertEquals(0, a.allocate(0), "an empty storage needs no block");
    }

    @Test
    void emptyCacheGivesEveryCachedBlockBackAfterWaitingForQueuedWork() {
        FakeDevice dev = new FakeDevice(1L << 30);
        CachingAllocator a = new CachingAllocator(dev);
        long x = a.allocate(4096), y = a.allocate(1 << 21), z = a.allocate(4096);
        a.release(x, 4096);
        a.release(y, 1 << 21);
        a.emptyCache();
        assertEquals(1, dev.syncs);
        assertEquals(2, a.stats().freeCalls());
        assertEquals(0, a.stats().bytesCached());
        assertEquals(1, dev.live.size(), "only the live block stays allocated");
        assertTrue(dev.live.containsKey(z));
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
        FakeDevice dev = new FakeDevice(1 << 20);
        CachingAllocator a = new CachingAllocator(dev);
        long x = a.allocate(600 << 10);
        a.release(x, 600 << 10); // cached, still held on the device
        long y = a.allocate(700 << 10); // does not fit beside the cached block
        assertTrue(y != 0);
        assertEquals(0, a.stats().bytesCached());
        assertEquals(1, a.stats().freeCalls());
    }

    @Test
    void outOfMemoryAfterTheRetryIsAClearExceptionAndTheAllocatorStaysUsable() {
        FakeDevice dev = new FakeDevice(1 << 20);
        CachingAllocator a = new CachingAllocator(dev);
        long keep = a.allocate(512 << 10);
        var e = assertThrows(CudaOutOfMemoryException.class, () -> a.allocate(3L << 20));
        String m = e.getMessage();
        assertEquals(3L << 20, e.requestedBytes());
        assertTrue(m.contains("allocating 3.00 MiB") && m.contains("in use by tensors")
                && m.contains("device total 1.00 MiB"), m);
        assertEquals(512 << 10, a.stats().bytesInUse(), "a failed allocation must not count as in use");
        long small = a.allocate(1024);
        assertTrue(small != 0);
        a.release(keep, 512 << 10);
        a.release(small, 1024);
        assertEquals(0, a.stats().bytesInUse());
    }
}

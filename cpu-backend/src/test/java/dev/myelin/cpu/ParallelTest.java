package dev.myelin.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

/** Parallel.forRange: every index once, small loops inline, and a chunk's failure reaches the caller. */
class ParallelTest {
    @Test
    void everyIndexRunsExactlyOnce() {
        for (int n : new int[] {1, 2, 3, 7, 64, 1000, 100_003}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(n);
            for (int repeat = 0; repeat < 20; repeat++) {
                Parallel.forRange(n, Parallel.GRAIN, (s, e) -> {
                    for (int i = s; i < e; i++) runs.incrementAndGet(i);
                });
            }
            for (int i = 0; i < n; i++) assertEquals(20, runs.get(i), "index " + i + " of " + n);
        }
    }

    @Test
    void smallWorkStaysOnTheCallingThread() {
        Thread caller = Thread.currentThread();
        Parallel.forRange(100, 1, (s, e) -> {
            assertSame(caller, Thread.currentThread());
            assertEquals(0, s);
            assertEquals(100, e);
        });
    }

    @Test
    void aFailingChunkIsRethrownAfterTheOthersFinish() {
        int n = 64;
        AtomicIntegerArray runs = new AtomicIntegerArray(n);
        IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                Parallel.forRange(n, Parallel.GRAIN, (s, end) -> {
                    for (int i = s; i < end; i++) runs.incrementAndGet(i);
                    if (s == 0) throw new IllegalStateException("chunk 0 failed");
                }));
        assertEquals("chunk 0 failed", e.getMessage());
        for (int i = 0; i < n; i++) assertEquals(1, runs.get(i), "every chunk still ran, index " + i);
    }
}

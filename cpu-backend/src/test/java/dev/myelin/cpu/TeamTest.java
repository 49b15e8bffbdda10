package dev.myelin.cpu;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Parallel.team: each rank once, on threads that really wait for each other at the barrier; a member's
 * failure reaches the caller without leaving another waiting; a team started inside a loop is the caller alone.
 */
class TeamTest {
    @Test
    void membersSeeEachOthersWritesAfterEveryBarrier() {
        int phases = 2000;
        AtomicIntegerArray ranks = new AtomicIntegerArray(Parallel.threads());
        int[][] seen = new int[Parallel.threads()][phases];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Parallel.team(Parallel.threads(), (rank, size, b) -> {
            assertEquals(Parallel.threads(), size);
            ranks.incrementAndGet(rank);
            for (int phase = 0; phase < phases; phase++) {
                shared[rank] = phase;
                b.await();
                int sum = 0;
                for (int r = 0; r < size; r++) sum += shared[r];
                seen[rank][phase] = sum;
                b.await();  // nobody writes the next phase before all have read this one
            }
        }));
        for (int r = 0; r < Parallel.threads(); r++) {
            assertEquals(1, ranks.get(r), "rank " + r);
            for (int phase = 0; phase < phases; phase++) {
                assertEquals(phase * Parallel.threads(), seen[r][phase], "rank " + r + " phase " + phase);
            }
        }
    }

    /** Written by the members between barriers (each its own slot); the barrier orders the writes before the reads. */
    private static final int[] shared = new int[64];

    @Test
    void aMembersFailureReachesTheCallerAndReleasesTheOthers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> assertTimeoutPreemptively(
                Duration.ofSeconds(60), () -> Parallel.team(Parallel.threads(), (rank, size, b) -> {
                    if (rank == size - 1) throw new IllegalArgumentException("member failed");
                    b.await();
                })));
        assertEquals("member failed", e.getMessage());
        // The workers are free again: a loop after it runs on all of them.
        AtomicIntegerArray ranks = new AtomicIntegerArray(Parallel.threads());
        Parallel.team(Parallel.threads(), (rank, size, b) -> ranks.incrementAndGet(rank));
        for (int r = 0; r < Parallel.threads(); r++) assertEquals(1, ranks.get(r), "rank " + r);
    }

    @Test
    void aTeamInsideALoopIsTheCallerAlone() {
        Parallel.forRange(4, Parallel.GRAIN, (s, e) -> {
            Thread caller = Thread.currentThread();
            Parallel.team(Parallel.threads(), (rank, size, b) -> {
                assertEquals(0, rank);
                assertEquals(1, size);
                assertSame(caller, Thread.currentThread());
                b.await();
            });
        });
    }
}

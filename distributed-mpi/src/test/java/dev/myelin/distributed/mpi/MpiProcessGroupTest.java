package dev.myelin.distributed.mpi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two ranks under mpirun: the collectives' results, and that every kind of failure ends the job in time. */
class MpiProcessGroupTest {
    private static final Duration FAULT_BOUND = Duration.ofSeconds(60);

    @Test
    void collectivesAgreeWithTheValuesOfBothRanks() {
        MpiRun.Result r = MpiRun.run(CollectivesMain.class, Map.of());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.output().contains("rank 0: collectives ok"), r::toString);
        assertTrue(r.output().contains("rank 1: collectives ok"), r::toString);
    }

    @Test
    void twoRanksOfHalfTheBatchTrainLikeOneProcessOfTheWholeBatch() {
        for (String model : new String[] {"plain", "syncbn"}) {
            MpiRun.Result r = MpiRun.run(EquivalenceMain.class, Map.of(), model);
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.output().contains("rank 0: equivalent to one process"), r::toString);
            assertTrue(r.output().contains("rank 1: equivalent to one process"), r::toString);
        }
    }

    @Test
    void ranksThatEndMainWithoutClosingFinaliseAtExitAndSucceed() {
        MpiRun.Result r = MpiRun.run(FaultMain.class, Map.of(), "no-close");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.output().contains("rank 0: step 9 done") && r.output().contains("rank 1: step 9 done"),
                r::toString);
    }

    @Test
    void aRankThatThrowsEndsTheJobAndIsNamed() {
        MpiRun.Result r = MpiRun.run(FaultMain.class, Map.of(), "throw");
        assertNotEquals(0, r.exitCode(), r::toString);
        assertTrue(r.elapsed().compareTo(FAULT_BOUND) < 0, r::toString);
        assertTrue(r.output().contains("myelin: rank 1 of 2 failed: java.lang.IllegalStateException: step 5 failed"),
                r::toString);
        assertTrue(!r.output().contains("rank 0: step 5 done"), r::toString);
    }

    @Test
    void aKilledRankEndsTheJob() {
        MpiRun.Result r = MpiRun.run(FaultMain.class, Map.of(), "kill");
        assertNotEquals(0, r.exitCode(), r::toString);
        assertTrue(r.elapsed().compareTo(FAULT_BOUND) < 0, r::toString);
        assertTrue(r.output().contains("rank 1"), r::toString);
        assertTrue(!r.output().contains("rank 0: step 5 done"), r::toString);
    }

    @Test
    void aCollectiveThatTimesOutThrowsNamingTheOpAndAbortsTheJob() {
        MpiRun.Result r = MpiRun.run(FaultMain.class, Map.of("MYELIN_DIST_TIMEOUT", "3"), "absent");
        assertNotEquals(0, r.exitCode(), r::toString);
        assertTrue(r.elapsed().compareTo(FAULT_BOUND) < 0, r::toString);
        assertTrue(r.output().contains("DistributedException: rank 0 of 2: allReduce(SUM) did not finish within 3 s"),
                r::toString);
    }
}

package dev.myelin.distributed;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Reading rank, world size and local rank from what each launcher sets; a world of one without one. */
class LaunchEnvironmentTest {
    @Test
    void openMpiWinsOverSlurmWhenBothAreSet() {
        var env = LaunchEnvironment.of(Map.of("OMPI_COMM_WORLD_RANK", "3", "OMPI_COMM_WORLD_SIZE", "4",
                "OMPI_COMM_WORLD_LOCAL_RANK", "1", "SLURM_PROCID", "0", "SLURM_NTASKS", "1"));
        assertEquals(new LaunchEnvironment(3, 4, 1, "mpirun"), env);
        assertTrue(env.launched());
    }

    @Test
    void slurmAndPmiAreRead() {
        assertEquals(new LaunchEnvironment(5, 8, 1, "slurm"),
                LaunchEnvironment.of(Map.of("SLURM_PROCID", "5", "SLURM_NTASKS", "8", "SLURM_LOCALID", "1")));
        assertEquals(new LaunchEnvironment(1, 2, 1, "pmi"),
                LaunchEnvironment.of(Map.of("PMI_RANK", "1", "PMI_SIZE", "2")));
    }

    @Test
    void noLauncherIsAWorldOfOne() {
        var env = LaunchEnvironment.of(Map.of("HOME", "/root"));
        assertEquals(LaunchEnvironment.SINGLE, env);
        assertFalse(env.launched());
    }

    @Test
    void inconsistentOrMalformedVariablesAreNamed() {
        var bad = assertThrows(IllegalStateException.class,
                () -> LaunchEnvironment.of(Map.of("PMI_RANK", "x", "PMI_SIZE", "2")));
        assertTrue(bad.getMessage().contains("PMI_RANK=x"), bad.getMessage());
        var outside = assertThrows(IllegalArgumentException.class,
                () -> LaunchEnvironment.of(Map.of("SLURM_PROCID", "2", "SLURM_NTASKS", "2")));
        assertTrue(outside.getMessage().contains("rank 2"), outside.getMessage());
    }

    @Test
    void theLocalTransportIsAWorldOfOneAndRefusesALaunchedJob() {
        try (ProcessGroup g = Distributed.create("auto", LaunchEnvironment.SINGLE)) {
            assertEquals("local", g.name());
            assertArrayEquals(new long[] {7}, g.allGather(7));
            assertArrayEquals(new double[] {1.5}, g.allReduce(new double[] {1.5}, ReduceOp.AVG));
            assertTrue(g.allReduce(java.util.List.of(), ReduceOp.SUM).isCompleted());
        }
        var launched = new LaunchEnvironment(0, 2, 0, "mpirun");
        var e = assertThrows(IllegalStateException.class, () -> Distributed.create("local", launched));
        assertTrue(e.getMessage().contains("2 processes"), e.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> Distributed.create("gloo", launched));
        assertTrue(unknown.getMessage().contains("unknown transport 'gloo'"), unknown.getMessage());
    }
}

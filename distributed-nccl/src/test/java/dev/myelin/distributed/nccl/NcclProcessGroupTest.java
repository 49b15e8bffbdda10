package dev.myelin.distributed.nccl;

import dev.myelin.Device;
import dev.myelin.Tensor;
import dev.myelin.cuda.GpuTest;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.LaunchEnvironment;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;
import dev.myelin.distributed.Work;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A world of one NCCL rank on the CUDA backend (the stand-in driver and NCCL in the build's second run). */
@GpuTest
class NcclProcessGroupTest {
    private static final Device CUDA = Device.cuda(0);
    private NcclProcessGroup group;

    @BeforeAll
    static void nccl() {
        StandInNccl.install();
    }

    @BeforeEach
    void join() {
        group = NcclProcessGroup.create(Distributed.worldOfOne(), 0);
    }

    @AfterEach
    void leave() {
        group.close();
    }

    @Test
    void aWorldOfOneIsRankZeroOnItsLocalGpu() {
        assertEquals("nccl", group.name());
        assertEquals(0, group.rank());
        assertEquals(1, group.worldSize());
        assertEquals(0, group.device().index());
        assertTrue(group.ncclVersion().matches("\\d+\\.\\d+\\.\\d+"), group.ncclVersion());
    }

    @Test
    void allReduceOverOneRankKeepsEveryDtypesValuesInPlace() {
        float[] f = {1.5f, -2f, 3.25f, 0f, 7f, -0.5f};
        double[] d = {1e-3, -4, 1e10};
        long[] l = {Long.MAX_VALUE, -3, 0};
        int[] i = {Integer.MIN_VALUE, 5};
        for (ReduceOp op : ReduceOp.values()) {
            Tensor tf = Tensor.of(f, 2, 3).to(CUDA), td = Tensor.of(d, 3).to(CUDA), tl = Tensor.of(l, 3).to(CUDA),
                    ti = Tensor.of(i, 2).to(CUDA);
            Work w = group.allReduce(List.of(tf, td, tl, ti), op);
            w.await();
            assertTrue(w.isCompleted());
            assertArrayEquals(f, tf.toFloatArray(), op.name());
            assertArrayEquals(d, td.toDoubleArray(), op.name());
            assertArrayEquals(l, tl.toLongArray(), op.name());
            assertArrayEquals(new long[] {i[0], i[1]}, ti.toLongArray(), op.name());
        }
    }

    @Test
    void allReduceWorksOnAViewAtAnOffsetWithoutTouchingItsNeighbours() {
        Tensor whole = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 6).to(CUDA);
        Tensor tail = whole.viewOf(2, new int[] {4}, new long[] {1});
        group.allReduce(List.of(tail), ReduceOp.SUM).await();
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, whole.toFloatArray());
    }

    @Test
    void broadcastFromRankZeroKeepsTheValues() {
        Tensor t = Tensor.of(new double[] {2, 4, 8}, 3).to(CUDA);
        group.broadcast(List.of(t), 0).await();
        assertArrayEquals(new double[] {2, 4, 8}, t.toDoubleArray());
    }

    @Test
    void aHostTensorIsRefusedNamingTheOpTheShapeAndTheDevice() {
        Tensor cuda = Tensor.of(new float[] {1}, 1).to(CUDA);
        Tensor host = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(Device.CPU);
        var e = assertThrows(IllegalArgumentException.class,
                () -> group.allReduce(List.of(cuda, host), ReduceOp.SUM));
        assertTrue(e.getMessage().contains("allReduce") && e.getMessage().contains("tensor 1 of shape [2, 3]")
                && e.getMessage().contains("is on cpu"), e.getMessage());
        var b = assertThrows(IllegalArgumentException.class, () -> group.broadcast(List.of(host), 0));
        assertTrue(b.getMessage().contains("broadcast") && b.getMessage().contains("[2, 3]"), b.getMessage());
    }

    @Test
    void aNonContiguousTensorAndABadRootAreRefused() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).to(CUDA);
        Tensor strided = t.viewOf(0, new int[] {3, 2}, new long[] {1, 3});
        assertFalse(strided.isContiguous());
        var e = assertThrows(IllegalArgumentException.class, () -> group.allReduce(List.of(strided), ReduceOp.SUM));
        assertTrue(e.getMessage().contains("not contiguous") && e.getMessage().contains("[3, 2]"), e.getMessage());
        var r = assertThrows(IllegalArgumentException.class, () -> group.broadcast(List.of(t), 1));
        assertTrue(r.getMessage().contains("root 1") && r.getMessage().contains("world of 1"), r.getMessage());
    }

    @Test
    void hostValueCollectivesGoToTheBootstrap() {
        assertArrayEquals(new long[] {42}, group.allGather(42));
        assertArrayEquals(new double[] {1.5, -2}, group.allReduce(new double[] {1.5, -2}, ReduceOp.AVG));
        group.barrier();
    }

    @Test
    void aClosedGroupRefusesCollectives() {
        ProcessGroup g = NcclProcessGroup.create(Distributed.worldOfOne(), 0);
        g.close();
        g.close();
        Tensor t = Tensor.of(new float[] {1}, 1).to(CUDA);
        var e = assertThrows(IllegalStateException.class, () -> g.allReduce(List.of(t), ReduceOp.SUM));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void severalProcessesWithoutTheMpiTransportAreUnavailableSayingWhy() {
        var a = NcclProvider.availability(new LaunchEnvironment(1, 2, 1, "mpirun"), List.of());
        assertFalse(a.available());
        assertTrue(a.reason().contains("mpi transport") && a.reason().contains("myelin-mpi"), a.reason());
        assertTrue(NcclProvider.availability(LaunchEnvironment.SINGLE, List.of()).available());
    }

    @Test
    void initProcessGroupJoinsAWorldOfOneThroughTheProvider() {
        group.close();
        try {
            ProcessGroup g = Distributed.initProcessGroup("nccl");
            assertTrue(g instanceof NcclProcessGroup, g.getClass().getName());
            Tensor t = Tensor.of(new long[] {3, 4}, 2).to(CUDA);
            g.allReduce(List.of(t), ReduceOp.MAX).await();
            assertArrayEquals(new long[] {3, 4}, t.toLongArray());
        } finally {
            Distributed.destroyProcessGroup();
            group = NcclProcessGroup.create(Distributed.worldOfOne(), 0);
        }
    }
}

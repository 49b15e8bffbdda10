package dev.myelin.distributed.nccl;

import dev.myelin.Device;
import dev.myelin.DType;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.ProcessGroupProvider;
import dev.myelin.distributed.ReduceOp;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts that need neither a GPU nor NCCL. */
class NcclUnitsTest {
    @Test
    void theProviderIsFoundByServiceLoaderAndTakesCudaDevicesOnly() {
        ProcessGroupProvider p = Distributed.providers().stream().filter(x -> x.name().equals("nccl")).findFirst()
                .orElseThrow();
        assertTrue(p instanceof NcclProvider);
        assertTrue(p.supports(Device.cuda(1)));
        assertTrue(p.supports(Device.parse("cuda")));
        assertFalse(p.supports(Device.CPU));
    }

    @Test
    void dtypesAndOpsAreNcclsEnumValues() {
        assertEquals(7, NcclTypes.dtype(DType.FLOAT32));
        assertEquals(8, NcclTypes.dtype(DType.FLOAT64));
        assertEquals(2, NcclTypes.dtype(DType.INT32));
        assertEquals(4, NcclTypes.dtype(DType.INT64));
        assertEquals(0, NcclTypes.op(ReduceOp.SUM, true, "2.23.4"));
        assertEquals(4, NcclTypes.op(ReduceOp.AVG, true, "2.23.4"));
        assertEquals(2, NcclTypes.op(ReduceOp.MAX, false, "2.8.4"));
        assertEquals(3, NcclTypes.op(ReduceOp.MIN, false, "2.8.4"));
        var e = assertThrows(UnsupportedOperationException.class, () -> NcclTypes.op(ReduceOp.AVG, false, "2.8.4"));
        assertTrue(e.getMessage().contains("2.10") && e.getMessage().contains("2.8.4"), e.getMessage());
    }

    @Test
    void eachRankTakesTheGpuOfItsLocalRankUnlessTheSettingSaysOtherwise() {
        assertEquals(3, RankDevice.choose(null, 3));
        assertEquals(3, RankDevice.choose(" ", 3));
        assertEquals(0, RankDevice.choose("0", 3));
        var e = assertThrows(IllegalArgumentException.class, () -> RankDevice.choose("gpu1", 0));
        assertTrue(e.getMessage().contains("myelin.cuda.device") && e.getMessage().contains("gpu1"), e.getMessage());
    }

    @Test
    void theUniqueIdGoesFromRankZeroToTheOthers() {
        byte[] id = new byte[Nccl.UNIQUE_ID_BYTES];
        for (int i = 0; i < id.length; i++) id[i] = (byte) (i * 37 + 11);
        // Rank 1 of 2: its bootstrap all-gathers rank 0's words (as rank 0 would contribute them) beside its own.
        long[] words = new long[Nccl.UNIQUE_ID_BYTES / Long.BYTES];
        var buf = java.nio.ByteBuffer.wrap(id).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int w = 0; w < words.length; w++) words[w] = buf.getLong(w * 8);
        int[] calls = {0};
        LongFunction<long[]> rank1AllGather = value -> {
            assertEquals(0L, value, "rank 1 contributes zeros");
            return new long[] {words[calls[0]++], value};
        };
        byte[] got = UniqueIds.share(1, rank1AllGather, () -> {
            throw new AssertionError("only rank 0 makes the id");
        });
        assertArrayEquals(id, got, Arrays.toString(got));
        assertEquals(16, calls[0]);
        assertArrayEquals(id, UniqueIds.share(0, value -> new long[] {value}, id::clone));
    }
}

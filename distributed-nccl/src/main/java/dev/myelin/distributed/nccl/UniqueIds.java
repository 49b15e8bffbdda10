package dev.myelin.distributed.nccl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Carries NCCL's 128-byte unique id from rank 0 to every rank over the bootstrap group, as 16 all-gathers
 * of a long (every transport has those, {@code ProcessGroup.allGather}; each rank keeps rank 0's word).
 */
final class UniqueIds {
    private UniqueIds() {}

    /** Rank 0's id, on every rank; {@code make} is called on rank 0 only. */
    static byte[] share(int rank, LongFunction<long[]> allGather, Supplier<byte[]> make) {
        boolean root = rank == 0;
        ByteBuffer mine = ByteBuffer.wrap(root ? make.get() : new byte[Nccl.UNIQUE_ID_BYTES])
                .order(ByteOrder.LITTLE_ENDIAN);
        if (mine.capacity() != Nccl.UNIQUE_ID_BYTES) {
            throw new IllegalStateException("nccl: a unique id has " + Nccl.UNIQUE_ID_BYTES + " bytes, got "
                    + mine.capacity());
        }
        ByteBuffer shared = ByteBuffer.allocate(Nccl.UNIQUE_ID_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int word = 0; word < Nccl.UNIQUE_ID_BYTES / Long.BYTES; word++) {
            long[] all = allGather.apply(root ? mine.getLong(word * Long.BYTES) : 0L);
            shared.putLong(word * Long.BYTES, all[0]);
        }
        return shared.array();
    }
}

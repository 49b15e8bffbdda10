package dev.myelin.distributed.nccl;

import dev.myelin.DType;
import dev.myelin.distributed.ReduceOp;

/** Myelin's dtypes and reduce ops as NCCL's enum values ({@code ncclDataType_t}, {@code ncclRedOp_t}). */
final class NcclTypes {
    static final int SUM = 0;
    static final int MAX = 2;
    static final int MIN = 3;
    static final int AVG = 4;

    private NcclTypes() {}

    static int dtype(DType dtype) {
        return switch (dtype) {
            case INT32 -> 2;   // ncclInt32
            case INT64 -> 4;   // ncclInt64
            case FLOAT32 -> 7; // ncclFloat32
            case FLOAT64 -> 8; // ncclFloat64
        };
    }

    /** NCCL's op; AVG needs NCCL 2.10 or newer ({@code hasAvg}). */
    static int op(ReduceOp op, boolean hasAvg, String version) {
        return switch (op) {
            case SUM -> SUM;
            case MAX -> MAX;
            case MIN -> MIN;
            case AVG -> {
                if (!hasAvg) {
                    throw new UnsupportedOperationException("nccl allReduce: AVG needs NCCL 2.10 or newer (ncclAvg); "
                            + "this is NCCL " + version + ": reduce with SUM and divide by the world size");
                }
                yield AVG;
            }
        };
    }
}

package dev.myelin.distributed;

/** How a collective combines the ranks' values (PyTorch's {@code torch.distributed.ReduceOp}). */
public enum ReduceOp {
    SUM,
    /** The sum divided by the world size. */
    AVG,
    MAX,
    MIN
}

package dev.myelin.distributed;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.GradMode;

import java.util.List;

/**
 * Collectives that autograd differentiates through (PyTorch's {@code torch.distributed.nn.functional}): what
 * {@link dev.myelin.nn.SyncBatchNorm} builds its global statistics from. Every rank must call them in the same
 * order, and so run the same backward, since each backward is a collective too.
 */
public final class DistributedFunctional {
    private DistributedFunctional() {}

    /**
     * A new tensor holding {@code x} combined across the ranks by {@code op} (SUM or AVG); x is left as it is.
     * The gradient of a sum over ranks with respect to each rank's x is the sum over ranks of the gradients
     * of the outputs, so the backward all-reduces the incoming gradient with the same op (AVG divides both
     * ways by the world size).
     */
    public static Tensor allReduce(Tensor x, ReduceOp op, ProcessGroup group) {
        if (op != ReduceOp.SUM && op != ReduceOp.AVG) {
            throw new IllegalArgumentException("all_reduce: only SUM and AVG are differentiable, got " + op
                    + " for a tensor of shape " + Shape.str(x.shape()));
        }
        Tensor out = reduced(x, op, group);
        return Autograd.record("all_reduce", out, new Tensor[] {x}, Autograd.NOTHING_SAVED,
                g -> new Tensor[] {reduced(g, op, group)});
    }

    /** A contiguous copy of t, reduced across the ranks; no graph. */
    private static Tensor reduced(Tensor t, ReduceOp op, ProcessGroup group) {
        Tensor copy;
        try (var ng = GradMode.noGrad()) {
            copy = t.copy();
        }
        group.allReduce(List.of(copy), op).await();
        copy.incrementVersion();
        return copy;
    }
}

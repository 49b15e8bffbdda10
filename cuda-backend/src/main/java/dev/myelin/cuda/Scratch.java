package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Tensor;

/**
 * Temporary device tensors of one launcher call (contiguous copies, partial sums, flags), freed
 * together at the end of the call. Freed blocks go back to the caching allocator; later work on
 * the same stream may reuse them, which is safe because the stream runs in order.
 */
final class Scratch implements AutoCloseable {
    private final java.util.ArrayList<Tensor> owned = new java.util.ArrayList<>();
    private final Tensor like;

    /** Scratch tensors on the backend of {@code like}. */
    Scratch(Tensor like) {
        this.like = like;
    }

    Tensor empty(DType dtype, long numel) {
        Tensor t = Tensor.empty(like.backend(), dtype, Math.toIntExact(numel));
        owned.add(t);
        return t;
    }

    Tensor emptyShaped(DType dtype, int[] shape) {
        Tensor t = Tensor.empty(like.backend(), dtype, shape);
        owned.add(t);
        return t;
    }

    @Override
    public void close() {
        for (Tensor t : owned) t.close();
        owned.clear();
    }
}

package dev.myelin.distributed.mpi;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Storage;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The native buffers a tensor collective works on: one per dtype, the list's tensors of that dtype packed
 * one after another, so that one MPI call serves many small tensors (gradient buckets). The buffers come
 * from the group's {@link StagingBuffers}; copying in and out goes through {@link Storage#readTo} and
 * {@link Storage#writeFrom}, one copy on the CPU backend (a CUDA tensor is staged through host memory); a
 * tensor that is not contiguous goes through a contiguous copy on its own device.
 */
final class Staging implements AutoCloseable {
    /** The tensors of one dtype and their buffer (a slice of a pooled one, {@code backing}). */
    record Part(DType dtype, List<Tensor> tensors, MemorySegment buffer, long numel, MemorySegment backing) {}

    private final StagingBuffers pool;
    private final List<Part> parts = new ArrayList<>();

    /** Validates {@code tensors} for {@code op}, takes the buffers and, when {@code copyIn}, fills them. */
    Staging(String op, List<Tensor> tensors, boolean copyIn, StagingBuffers pool) {
        validate(op, tensors);
        this.pool = pool;
        for (DType dtype : DType.values()) {
            List<Tensor> ofType = new ArrayList<>();
            long numel = 0;
            for (Tensor t : tensors) {
                if (t.dtype() != dtype) continue;
                ofType.add(t);
                numel += t.numel();
            }
            if (numel == 0) continue;
            long bytes = numel * dtype.byteSize();
            MemorySegment backing = pool.take(bytes);
            parts.add(new Part(dtype, ofType, backing.asSlice(0, bytes), numel, backing));
        }
        if (copyIn) {
            try {
                for (Part p : parts) copyIn(p);
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }
    }

    List<Part> parts() {
        return parts;
    }

    /** Writes the buffers back into the tensors (each counts an in-place write). */
    void copyOut() {
        for (Part p : parts) {
            long at = 0;
            for (Tensor t : p.tensors()) {
                copyOut(p.buffer().asSlice(at, t.numel() * p.dtype().byteSize()), t);
                at += t.numel() * p.dtype().byteSize();
            }
        }
    }

    /** Gives the buffers back to the pool. */
    @Override
    public void close() {
        for (Part p : parts) pool.give(p.backing());
        parts.clear();
    }

    /**
     * Checks that every tensor can take part in a collective: present, not freed, and not an expanded view
     * (whose elements share memory, so no value could be written back to each).
     */
    static void validate(String op, List<Tensor> tensors) {
        if (tensors == null) throw new IllegalArgumentException(op + ": the list of tensors is null");
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t == null) throw new IllegalArgumentException(op + ": tensor " + i + " is null");
            String which = op + ": tensor " + i + " (shape " + Shape.str(t.shape()) + ", " + t.dtype() + ")";
            if (isFreed(t)) {
                throw new IllegalArgumentException(which + " was freed (closed, or its MemoryScope ended)");
            }
            int[] shape = t.shape();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] > 1 && t.stride(d) == 0) {
                    throw new IllegalArgumentException(which + " is an expanded view (stride 0 in dimension " + d
                            + "), whose elements share memory; pass a tensor that owns its elements (contiguous())");
                }
            }
        }
    }

    private static boolean isFreed(Tensor t) {
        if (t.isClosed()) return true;
        try {
            return t.storage().isReleased();
        } catch (IllegalStateException e) { // storage() refuses a freed tensor
            return true;
        }
    }

    private static void copyIn(Part p) {
        long at = 0;
        for (Tensor t : p.tensors()) {
            Tensor src = t.isContiguous() ? t : t.detach().contiguous();
            try {
                src.storage().readTo(src.offset(), p.buffer().asSlice(at), t.numel());
            } finally {
                if (src != t) src.close();
            }
            at += t.numel() * p.dtype().byteSize();
        }
    }

    private static void copyOut(MemorySegment from, Tensor t) {
        if (t.isContiguous()) {
            t.storage().writeFrom(from, t.offset(), t.numel());
            t.incrementVersion();
            return;
        }
        try (Tensor dst = Tensor.empty(t.storage().backend(), t.dtype(), t.shape()); Tensor view = t.detach()) {
            dst.storage().writeFrom(from, dst.offset(), t.numel());
            view.copyFrom(dst); // counts the in-place write
        }
    }
}

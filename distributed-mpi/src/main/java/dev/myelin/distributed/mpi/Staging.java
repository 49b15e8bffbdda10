package dev.myelin.distributed.mpi;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Storage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The native buffers a tensor collective works on: one per dtype, the list's tensors of that dtype packed
 * one after another, so that one MPI call serves many small tensors (gradient buckets). Copying in and out
 * goes through {@link Storage#read}/{@link Storage#write}, which any backend implements (a CUDA tensor is
 * staged through host memory), in chunks of at most {@link #CHUNK} elements; a tensor that is not
 * contiguous goes through a contiguous copy on its own device.
 */
final class Staging implements AutoCloseable {
    /** Elements per host-array round trip: bounds the scratch array, whatever the tensors' sizes. */
    static final int CHUNK = 1 << 20;

    /** The tensors of one dtype and their buffer. */
    record Part(DType dtype, List<Tensor> tensors, MemorySegment buffer, long numel) {}

    private final Arena arena = Arena.ofShared();
    private final List<Part> parts = new ArrayList<>();

    /** Validates {@code tensors} for {@code op}, allocates the buffers and, when {@code copyIn}, fills them. */
    Staging(String op, List<Tensor> tensors, boolean copyIn) {
        validate(op, tensors);
        for (DType dtype : DType.values()) {
            List<Tensor> ofType = new ArrayList<>();
            long numel = 0;
            for (Tensor t : tensors) {
                if (t.dtype() != dtype) continue;
                ofType.add(t);
                numel += t.numel();
            }
            if (numel == 0) continue;
            parts.add(new Part(dtype, ofType, arena.allocate(numel * dtype.byteSize(), 64), numel));
        }
        if (copyIn) {
            try {
                for (Part p : parts) copyIn(p);
            } catch (RuntimeException | Error e) {
                arena.close();
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
                copyOut(p.buffer(), at, t);
                at += t.numel() * p.dtype().byteSize();
            }
        }
    }

    @Override
    public void close() {
        arena.close();
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
        Object scratch = null;
        for (Tensor t : p.tensors()) {
            Tensor src = t.isContiguous() ? t : t.detach().contiguous();
            try {
                scratch = scratch(scratch, p.dtype(), t.numel());
                Storage s = src.storage();
                for (long done = 0; done < t.numel(); done += CHUNK) {
                    int n = (int) Math.min(CHUNK, t.numel() - done);
                    s.read(src.offset() + done, scratch, 0, n);
                    MemorySegment.copy(scratch, 0, p.buffer(), layout(p.dtype()), at + done * p.dtype().byteSize(), n);
                }
            } finally {
                if (src != t) src.close();
            }
            at += t.numel() * p.dtype().byteSize();
        }
    }

    private static void copyOut(MemorySegment buffer, long at, Tensor t) {
        DType dtype = t.dtype();
        Tensor dst = t.isContiguous() ? t : Tensor.empty(t.storage().backend(), dtype, t.shape());
        try {
            Object scratch = scratch(null, dtype, t.numel());
            Storage s = dst.storage();
            for (long done = 0; done < t.numel(); done += CHUNK) {
                int n = (int) Math.min(CHUNK, t.numel() - done);
                MemorySegment.copy(buffer, layout(dtype), at + done * dtype.byteSize(), scratch, 0, n);
                s.write(dst.offset() + done, scratch, 0, n);
            }
            if (dst == t) {
                t.incrementVersion();
            } else {
                try (Tensor view = t.detach()) {
                    view.copyFrom(dst); // counts the in-place write
                }
            }
        } finally {
            if (dst != t) dst.close();
        }
    }

    /** A host array of the dtype with room for one chunk of a tensor of {@code numel} elements. */
    private static Object scratch(Object have, DType dtype, long numel) {
        int n = (int) Math.min(CHUNK, numel);
        return switch (dtype) {
            case FLOAT32 -> have instanceof float[] f && f.length >= n ? f : new float[n];
            case FLOAT64 -> have instanceof double[] d && d.length >= n ? d : new double[n];
            case INT32 -> have instanceof int[] i && i.length >= n ? i : new int[n];
            case INT64 -> have instanceof long[] l && l.length >= n ? l : new long[n];
        };
    }

    static ValueLayout layout(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> ValueLayout.JAVA_FLOAT;
            case FLOAT64 -> ValueLayout.JAVA_DOUBLE;
            case INT32 -> ValueLayout.JAVA_INT;
            case INT64 -> ValueLayout.JAVA_LONG;
        };
    }
}

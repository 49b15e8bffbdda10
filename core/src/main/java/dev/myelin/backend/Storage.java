package dev.myelin.backend;

import dev.myelin.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A flat buffer of {@link #numel()} elements of one dtype, owned by a backend. Tensors are views
 * into a storage (offset + strides); several views share one storage, which is reference-counted:
 * each tensor that views it holds one reference, and the memory goes back to the backend when
 * the last reference is released (usually when a {@link dev.myelin.MemoryScope} closes).
 * Backends that hold off-heap or device memory also register a {@link java.lang.ref.Cleaner}
 * action as a safety net for storages that become unreachable without being released; heap
 * storage (the CPU backend) needs none.
 *
 * <p>A storage also counts the in-place writes made to it through the tensor API (PyTorch's
 * version counter, {@code tensor._version}): every view of it shares the count, and autograd
 * compares it with the count it recorded when it saved a tensor for backward. Backend kernels
 * do not count: the core code that writes into an existing tensor through them calls
 * {@link dev.myelin.Tensor#incrementVersion()}.
 */
public abstract class Storage {
    private final DType dtype;
    private final long numel;
    private final AtomicInteger refs = new AtomicInteger(1);
    /** In-place writes so far; plain (not atomic) as in-place writes to one tensor from two threads race anyway. */
    private int version;

    protected Storage(DType dtype, long numel) {
        this.dtype = dtype;
        this.numel = numel;
    }

    public final DType dtype() {
        return dtype;
    }

    public final long numel() {
        return numel;
    }

    public abstract Backend backend();

    /** How many in-place writes this storage has seen (0 when new). */
    public final int version() {
        return version;
    }

    /** Counts one in-place write; see {@link dev.myelin.Tensor#incrementVersion()}. */
    public final void incrementVersion() {
        version++;
    }

    /** Copies {@code length} elements from the host array (float[], double[], int[] or long[], matching dtype). */
    public abstract void write(long offset, Object hostArray, int arrayPos, int length);

    /** Copies {@code length} elements into the host array (float[], double[], int[] or long[], matching dtype). */
    public abstract void read(long offset, Object hostArray, int arrayPos, int length);

    /**
     * Copies {@code count} elements from {@code offset} into native memory at {@code dst} (for transports that
     * hand buffers to a C library). This default goes through a host array in chunks; a backend overrides it
     * with one copy.
     */
    public void readTo(long offset, MemorySegment dst, long count) {
        ValueLayout layout = layout(dtype);
        Object chunk = null;
        for (long done = 0; done < count; done += COPY_CHUNK) {
            int n = (int) Math.min(COPY_CHUNK, count - done);
            chunk = hostArray(chunk, n);
            read(offset + done, chunk, 0, n);
            MemorySegment.copy(chunk, 0, dst, layout, done * dtype.byteSize(), n);
        }
    }

    /** Copies {@code count} elements from native memory at {@code src} to {@code offset}; see {@link #readTo}. */
    public void writeFrom(MemorySegment src, long offset, long count) {
        ValueLayout layout = layout(dtype);
        Object chunk = null;
        for (long done = 0; done < count; done += COPY_CHUNK) {
            int n = (int) Math.min(COPY_CHUNK, count - done);
            chunk = hostArray(chunk, n);
            MemorySegment.copy(src, layout, done * dtype.byteSize(), chunk, 0, n);
            write(offset + done, chunk, 0, n);
        }
    }

    /** The Java layout of one element of {@code dtype}, in native byte order. */
    public static ValueLayout layout(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> ValueLayout.JAVA_FLOAT;
            case FLOAT64 -> ValueLayout.JAVA_DOUBLE;
            case INT32 -> ValueLayout.JAVA_INT;
            case INT64 -> ValueLayout.JAVA_LONG;
        };
    }

    /** Elements per host-array round trip of the default native copies: bounds the array they allocate. */
    private static final int COPY_CHUNK = 1 << 20;

    private Object hostArray(Object have, int n) {
        return switch (dtype) {
            case FLOAT32 -> have instanceof float[] f && f.length >= n ? f : new float[n];
            case FLOAT64 -> have instanceof double[] d && d.length >= n ? d : new double[n];
            case INT32 -> have instanceof int[] i && i.length >= n ? i : new int[n];
            case INT64 -> have instanceof long[] l && l.length >= n ? l : new long[n];
        };
    }

    /** Returns the memory to the backend. Called once, when the last reference goes. */
    protected abstract void free();

    public final boolean isReleased() {
        return refs.get() <= 0;
    }

    public final void retain() {
        if (refs.getAndIncrement() <= 0) {
            refs.decrementAndGet();
            throw new IllegalStateException("storage was already released");
        }
    }

    public final void release() {
        int left = refs.decrementAndGet();
        if (left == 0) free();
        if (left < 0) refs.incrementAndGet();
    }
}

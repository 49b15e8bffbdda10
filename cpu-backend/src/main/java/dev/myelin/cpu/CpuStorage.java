package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Storage;

import java.lang.foreign.MemorySegment;

/**
 * CPU memory: a Java array of the dtype's primitive type. Heap arrays are what the Vector API
 * loads fastest. Freeing hands the array to the backend's {@link ArrayPool} for the next storage
 * of the same dtype and length; the storage then holds no reference to it.
 */
final class CpuStorage extends Storage {
    private final CpuBackend backend;
    private Object array;

    CpuStorage(CpuBackend backend, DType dtype, long numel) {
        super(dtype, numel);
        this.backend = backend;
        this.array = backend.arrays().take(dtype, Math.toIntExact(numel));
    }

    @Override
    public Backend backend() {
        return backend;
    }

    Object array() {
        Object a = array;
        if (a == null) throw new IllegalStateException("CPU storage was freed");
        return a;
    }

    @Override
    public void write(long offset, Object hostArray, int arrayPos, int length) {
        System.arraycopy(hostArray, arrayPos, array(), Math.toIntExact(offset), length);
    }

    @Override
    public void read(long offset, Object hostArray, int arrayPos, int length) {
        System.arraycopy(array(), Math.toIntExact(offset), hostArray, arrayPos, length);
    }

    /** One copy from the heap array (the default goes through a second array). */
    @Override
    public void readTo(long offset, MemorySegment dst, long count) {
        long bytes = dtype().byteSize();
        MemorySegment.copy(heap(), offset * bytes, dst, 0, count * bytes);
    }

    @Override
    public void writeFrom(MemorySegment src, long offset, long count) {
        long bytes = dtype().byteSize();
        MemorySegment.copy(src, 0, heap(), offset * bytes, count * bytes);
    }

    private MemorySegment heap() {
        return switch (array()) {
            case float[] f -> MemorySegment.ofArray(f);
            case double[] d -> MemorySegment.ofArray(d);
            case int[] i -> MemorySegment.ofArray(i);
            case long[] l -> MemorySegment.ofArray(l);
            default -> throw new IllegalStateException("CPU storage of " + dtype() + " holds a "
                    + array().getClass().getSimpleName());
        };
    }

    @Override
    protected void free() {
        Object a = array;
        array = null;
        backend.arrays().give(dtype(), a, (int) numel());
    }

    // Typed access for kernels. The tensor's offset() is where its elements start.

    static float[] f32(Tensor t) {
        return (float[]) ((CpuStorage) t.storage()).array();
    }

    static double[] f64(Tensor t) {
        return (double[]) ((CpuStorage) t.storage()).array();
    }

    static int[] i32(Tensor t) {
        return (int[]) ((CpuStorage) t.storage()).array();
    }

    static long[] i64(Tensor t) {
        return (long[]) ((CpuStorage) t.storage()).array();
    }

    static int off(Tensor t) {
        return Math.toIntExact(t.offset());
    }
}

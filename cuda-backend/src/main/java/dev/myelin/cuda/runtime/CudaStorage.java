package dev.myelin.cuda.runtime;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Storage;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/**
 * Device memory for one storage: a block of the caching allocator. {@link #free()} (the last
 * reference released) returns the block to the cache; a {@link Cleaner} does the same for a
 * storage that becomes unreachable unreleased. Host copies go through the device's pinned
 * staging buffer and wait for all queued work, so a read sees every kernel queued before it.
 */
public final class CudaStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Backend backend;
    private final DeviceContext device;
    private final long address;
    private final Cleaner.Cleanable cleanable;

    /** Gives the block back; holds no reference to the storage, so that the storage can become unreachable. */
    private record ReturnBlock(CachingAllocator allocator, long address, long bytes) implements Runnable {
        @Override
        public void run() {
            allocator.release(address, bytes);
        }
    }

    /** A storage of {@code backend} in {@code device}'s memory. Internal: backends and tests make storages. */
    public CudaStorage(Backend backend, DeviceContext device, DType dtype, long numel) {
        super(dtype, numel);
        this.backend = backend;
        this.device = device;
        long bytes = Math.multiplyExact(numel, (long) dtype.byteSize());
        this.address = device.allocator().allocate(bytes);
        this.cleanable = CLEANER.register(this, new ReturnBlock(device.allocator(), address, bytes));
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** The device address of element 0 (0 for an empty storage). */
    public long address() {
        if (isReleased()) throw new IllegalStateException("cuda: storage was freed");
        return address;
    }

    /** The device address of element {@code elementOffset}. */
    public long address(long elementOffset) {
        return address() + elementOffset * dtype().byteSize();
    }

    /** The device address of a tensor's first element; the tensor must be on the CUDA backend. */
    public static long addressOf(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s)) {
            throw new IllegalArgumentException("cuda: expected a tensor on the cuda device, got one on " + t.device());
        }
        return s.address(t.offset());
    }

    @Override
    public void write(long offset, Object hostArray, int arrayPos, int length) {
        checkRange("write", offset, hostArray, arrayPos, length);
        int size = dtype().byteSize();
        device.upload(address(offset), heap(hostArray), (long) arrayPos * size, (long) length * size);
    }

    @Override
    public void read(long offset, Object hostArray, int arrayPos, int length) {
        checkRange("read", offset, hostArray, arrayPos, length);
        int size = dtype().byteSize();
        device.download(heap(hostArray), (long) arrayPos * size, address(offset), (long) length * size);
    }

    @Override
    protected void free() {
        cleanable.clean();
    }

    private static MemorySegment heap(Object array) {
        return switch (array) {
            case float[] a -> MemorySegment.ofArray(a);
            case double[] a -> MemorySegment.ofArray(a);
            case int[] a -> MemorySegment.ofArray(a);
            case long[] a -> MemorySegment.ofArray(a);
            default -> throw new IllegalArgumentException("cuda storage: unsupported host array " + array.getClass());
        };
    }

    private void checkRange(String op, long offset, Object hostArray, int arrayPos, int length) {
        Class<?> expected = switch (dtype()) {
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case INT32 -> int[].class;
            case INT64 -> long[].class;
        };
        if (hostArray == null || hostArray.getClass() != expected) {
            throw new IllegalArgumentException("cuda storage " + op + ": a " + dtype() + " storage needs a "
                    + expected.getSimpleName() + ", got "
                    + (hostArray == null ? "null" : hostArray.getClass().getSimpleName()));
        }
        int arrayLength = java.lang.reflect.Array.getLength(hostArray);
        if (length < 0 || offset < 0 || offset + length > numel() || arrayPos < 0 || arrayPos + length > arrayLength) {
            throw new IndexOutOfBoundsException("cuda storage " + op + ": " + length + " elements at storage offset "
                    + offset + " (storage holds " + numel() + ") and array position " + arrayPos + " (array holds "
                    + arrayLength + ")");
        }
    }
}

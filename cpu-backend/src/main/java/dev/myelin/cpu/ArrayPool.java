package dev.myelin.cpu;

import dev.myelin.DType;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Reuses the arrays of freed storages. A training step allocates the same shapes every
 * iteration, and a fresh Java array is zeroed by the JVM (a full pass over memory the kernel is
 * about to overwrite) and adds to the collector's work; an array freed by the previous step's
 * {@link dev.myelin.MemoryScope} serves the next request of the same dtype and length instead.
 *
 * <p>Only arrays of at least {@link #MIN_ELEMENTS} are kept (small ones are cheap to make), and
 * at most {@code -Dmyelin.cpu.pool.bytes} bytes in all (default: an eighth of the maximum heap,
 * at most 512 MiB; 0 turns pooling off). When a free would pass the limit the pool is emptied
 * first, so arrays of shapes no longer in use do not stay forever. With
 * {@code -Dmyelin.cpu.poison=true} every array handed out is filled with NaN (integers with
 * -123456789), to show up kernels that read an output they have not written.
 */
final class ArrayPool {
    static final int MIN_ELEMENTS = 4096;
    private static final boolean POISON = Boolean.getBoolean("myelin.cpu.poison");

    private final long capacityBytes;
    private final Map<Long, ArrayDeque<Object>> free = new HashMap<>();
    private long pooledBytes;

    ArrayPool(long capacityBytes) {
        this.capacityBytes = capacityBytes;
    }

    static ArrayPool fromProperties() {
        long byDefault = Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 8);
        return new ArrayPool(Long.getLong("myelin.cpu.pool.bytes", byDefault));
    }

    /** An array of the dtype's primitive type with n elements; its contents are unspecified. */
    Object take(DType dtype, int n) {
        Object array = null;
        if (n >= MIN_ELEMENTS) {
            synchronized (this) {
                ArrayDeque<Object> list = free.get(key(dtype, n));
                if (list != null && !list.isEmpty()) {
                    array = list.pop();
                    pooledBytes -= bytes(dtype, n);
                }
            }
        }
        if (array == null) array = newArray(dtype, n);
        if (POISON) poison(array);
        return array;
    }

    /** Takes back an array of n elements from {@link #take}; the caller must hold no reference to it any more. */
    void give(DType dtype, Object array, int n) {
        long size = bytes(dtype, n);
        if (n < MIN_ELEMENTS || size > capacityBytes) return;
        synchronized (this) {
            if (pooledBytes + size > capacityBytes) {
                free.clear();
                pooledBytes = 0;
            }
            free.computeIfAbsent(key(dtype, n), k -> new ArrayDeque<>()).push(array);
            pooledBytes += size;
        }
    }

    synchronized long pooledBytes() {
        return pooledBytes;
    }

    private static long key(DType dtype, int n) {
        return (long) n << 2 | dtype.ordinal();
    }

    private static long bytes(DType dtype, int n) {
        return (long) n * dtype.byteSize();
    }

    private static Object newArray(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
        };
    }

    private static void poison(Object array) {
        switch (array) {
            case float[] f -> Arrays.fill(f, Float.NaN);
            case double[] d -> Arrays.fill(d, Double.NaN);
            case int[] i -> Arrays.fill(i, -123456789);
            case long[] l -> Arrays.fill(l, -123456789L);
            default -> throw new IllegalStateException("not a storage array: " + array.getClass());
        }
    }
}

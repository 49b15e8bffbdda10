package dev.myelin.cuda;

import dev.myelin.Shape;
import dev.myelin.cuda.kernels.KernelStructs;
import dev.myelin.cuda.kernels.Launch;

import java.util.Arrays;

/**
 * How a contiguous x reduces into its keepdim output on the GPU. Dimensions of size 1 are dropped;
 * the kept dimensions and the reduced ones each form a {@code Dims} (adjacent dimensions merged).
 * When the reduced dimensions are one block followed by kept ones (x as [outer, count, inner] with
 * inner > 1: a column sum such as a bias gradient) the column kernel reads memory in order;
 * everything else reduces a group of threads per output. Large reductions split each output into
 * {@link #chunks} chosen from the shape alone, so results do not depend on the device.
 */
final class ReducePlan {
    /** Outputs of up to this many elements are reduced by a warp each. */
    static final long WARP_COUNT = 2048;
    /** Elements per chunk a split aims for (block kernel / column kernel rows). */
    static final long BLOCK_CHUNK = 1 << 16, COLUMN_CHUNK = 1 << 12;
    static final long MAX_CHUNKS = 1024;
    /** With at least this many blocks of work, outputs are not split. */
    static final long ENOUGH_UNITS = 256;

    enum Kind { WARP, BLOCK, COLUMNS }

    final long outputs, count, outer, inner, chunks;
    final Kind kind;
    final long[] keptSizes, keptStrides, reducedSizes, reducedStrides;

    private ReducePlan(long outputs, long count, long outer, long inner, long chunks, Kind kind, long[][] kept,
                       long[][] reduced) {
        this.outputs = outputs;
        this.count = count;
        this.outer = outer;
        this.inner = inner;
        this.chunks = chunks;
        this.kind = kind;
        this.keptSizes = kept[0];
        this.keptStrides = kept[1];
        this.reducedSizes = reduced[0];
        this.reducedStrides = reduced[1];
    }

    /** x (contiguous) of shape xShape into outShape (same rank, 1 where reduced). */
    static ReducePlan of(String op, int[] xShape, int[] outShape) {
        if (xShape.length != outShape.length) {
            throw new IllegalArgumentException(op + ": out has shape " + Shape.str(outShape) + ", expected the rank of "
                    + Shape.str(xShape) + " with 1 in the reduced dimensions");
        }
        long[] strides = Shape.contiguousStrides(xShape);
        long[][] kept = new long[2][xShape.length], reduced = new long[2][xShape.length];
        int nk = 0, nr = 0;
        // 0 = before the reduced block, 1 = in it, 2 = after it (kept dims after reduced ones).
        int phase = 0;
        boolean single = true;
        long outer = 1, inner = 1, count = 1, outputs = 1;
        for (int d = 0; d < xShape.length; d++) {
            int size = xShape[d];
            if (outShape[d] != 1 && outShape[d] != size) {
                throw new IllegalArgumentException(op + ": out has shape " + Shape.str(outShape) + ", not a keepdim "
                        + "reduction of " + Shape.str(xShape));
            }
            if (size == 1) continue;
            if (outShape[d] == 1) {
                if (phase == 2) single = false;
                phase = 1;
                count *= size;
                nr = push(reduced, nr, size, strides[d]);
            } else {
                outputs *= size;
                if (phase == 0) outer *= size;
                else {
                    phase = 2;
                    inner *= size;
                }
                nk = push(kept, nk, size, strides[d]);
            }
        }
        long[][] k = {Arrays.copyOf(kept[0], nk), Arrays.copyOf(kept[1], nk)};
        long[][] r = {Arrays.copyOf(reduced[0], nr), Arrays.copyOf(reduced[1], nr)};
        if (single && inner > 1) {
            long tiles = (inner + Launch.WARP - 1) / Launch.WARP;
            long chunks = split(outer * tiles, count, COLUMN_CHUNK);
            return new ReducePlan(outputs, count, outer, inner, chunks, Kind.COLUMNS, k, r);
        }
        if (count <= WARP_COUNT) return new ReducePlan(outputs, count, outer, inner, 1, Kind.WARP, k, r);
        return new ReducePlan(outputs, count, outer, inner, split(outputs, count, BLOCK_CHUNK), Kind.BLOCK, k, r);
    }

    /** Appends a dimension, merged into the previous one when the two are laid out as one. */
    private static int push(long[][] dims, int n, long size, long stride) {
        if (n > 0 && dims[1][n - 1] == stride * size) {
            dims[0][n - 1] *= size;
            dims[1][n - 1] = stride;
            return n;
        }
        dims[0][n] = size;
        dims[1][n] = stride;
        return n + 1;
    }

    /**
     * Chunks per output: 1 when there are enough units already, else about count / target (at most 1024, at most
     * count).
     */
    private static long split(long units, long count, long target) {
        if (units >= ENOUGH_UNITS) return 1;
        return Math.max(1, Math.min(Math.min(MAX_CHUNKS, count), count / target));
    }

    long[] keptDims(String op) {
        return KernelStructs.dims(op, keptSizes, keptStrides);
    }

    long[] reducedDims(String op) {
        return KernelStructs.dims(op, reducedSizes, reducedStrides);
    }
}

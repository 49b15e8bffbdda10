package dev.myelin.cpu;

import dev.myelin.Shape;
import dev.myelin.Tensor;

/**
 * Element access for arbitrary strided views of any dtype, and {@link Walk}, the row-major walk
 * that the general paths of the CPU kernels use. Fast paths handle the contiguous cases with the
 * Vector API.
 */
final class Strided {
    private Strided() {}

    /** Storage index of every element of t in row-major order. Allocates; prefer {@link Walk}. */
    static int[] indices(Tensor t) {
        int[] out = new int[Math.toIntExact(t.numel())];
        Walk walk = new Walk(t.shape(), t);
        int step = walk.step(0);
        walk.runs(0, out.length, (off, n) -> {
            int done = off[1];
            for (int i = 0; i < n; i++) out[done + i] = off[0] + i * step;
        }, true);
        return out;
    }

    static double get(Object array, int i) {
        return switch (array) {
            case float[] a -> a[i];
            case double[] a -> a[i];
            case int[] a -> a[i];
            case long[] a -> a[i];
            default -> throw new IllegalStateException("unexpected storage " + array.getClass());
        };
    }

    static void set(Object array, int i, double v) {
        switch (array) {
            case float[] a -> a[i] = (float) v;
            case double[] a -> a[i] = v;
            case int[] a -> a[i] = (int) v;
            case long[] a -> a[i] = (long) v;
            default -> throw new IllegalStateException("unexpected storage " + array.getClass());
        }
    }

    /** Exact for integer storage (int64 beyond 2^53 included); floats truncate toward zero. */
    static long getLong(Object array, int i) {
        return switch (array) {
            case long[] a -> a[i];
            case int[] a -> a[i];
            case float[] a -> (long) a[i];
            case double[] a -> (long) a[i];
            default -> throw new IllegalStateException("unexpected storage " + array.getClass());
        };
    }

    static void setLong(Object array, int i, long v) {
        switch (array) {
            case long[] a -> a[i] = v;
            case int[] a -> a[i] = (int) v;
            case float[] a -> a[i] = v;
            case double[] a -> a[i] = v;
            default -> throw new IllegalStateException("unexpected storage " + array.getClass());
        }
    }

    static Object array(Tensor t) {
        return ((CpuStorage) t.storage()).array();
    }

    /** Body of a walk: one run of {@code length} elements, starting at {@code offsets[k]} in view k. */
    @FunctionalInterface
    interface Run {
        /** {@code offsets} belongs to the walk: read it, do not keep or modify it. */
        void run(int[] offsets, int length);
    }

    /**
     * A row-major walk over views of one shape (the operands of an elementwise op and its output,
     * say), in runs along the innermost dimension, without an index array. Dimensions of size 1
     * are dropped and a dimension is merged into the one before it when every view lays the two
     * out as one, so contiguous views make a single run, and the common broadcasts make runs whose
     * step is 0 (a scalar, or one scalar per row) or 1 (a bias row repeated over the batch).
     */
    static final class Walk {
        private final int[] shape;
        private final int[][] strides;
        private final int[] starts;
        private final int numel;

        /** Walks {@code views}, each of which has {@code shape}. */
        Walk(int[] shape, Tensor... views) {
            this(shape, offsets(views), strides(views));
        }

        /** Walks raw geometries: view k starts at {@code starts[k]} with {@code strides[k]}. */
        Walk(int[] shape, int[] starts, long[][] strides) {
            int rank = shape.length, views = starts.length;
            this.numel = Math.toIntExact(Shape.numel(shape));
            this.starts = starts.clone();
            int[] s = new int[Math.max(rank, 1)];
            int[][] st = new int[views][Math.max(rank, 1)];
            int r = 0;
            for (int d = 0; d < rank; d++) {
                if (shape[d] == 1) continue;
                if (r > 0 && mergeable(st, r - 1, strides, d, shape[d])) {
                    s[r - 1] *= shape[d];
                    for (int k = 0; k < views; k++) st[k][r - 1] = (int) strides[k][d];
                } else {
                    s[r] = shape[d];
                    for (int k = 0; k < views; k++) st[k][r] = (int) strides[k][d];
                    r++;
                }
            }
            if (r == 0) {
                s[0] = 1;
                r = 1;
            }
            this.shape = java.util.Arrays.copyOf(s, r);
            this.strides = new int[views][];
            for (int k = 0; k < views; k++) this.strides[k] = java.util.Arrays.copyOf(st[k], r);
        }

        private static boolean mergeable(int[][] st, int prev, long[][] strides, int d, int size) {
            for (int k = 0; k < st.length; k++) {
                if (st[k][prev] != strides[k][d] * size) return false;
            }
            return true;
        }

        private static int[] offsets(Tensor[] views) {
            int[] out = new int[views.length];
            for (int k = 0; k < views.length; k++) out[k] = CpuStorage.off(views[k]);
            return out;
        }

        private static long[][] strides(Tensor[] views) {
            long[][] out = new long[views.length][];
            for (int k = 0; k < views.length; k++) out[k] = views[k].strides();
            return out;
        }

        int numel() {
            return numel;
        }

        /** Elements per run when a walk is not split: the merged innermost size. */
        int runLength() {
            return shape[shape.length - 1];
        }

        /** The distance between consecutive elements of a run in view k (0 for a broadcast view). */
        int step(int k) {
            return strides[k][shape.length - 1];
        }

        /** All elements, split over the backend's threads when {@code numel * cost} is large. */
        void forEach(long cost, Run body) {
            Parallel.forRange(numel, cost, (start, end) -> runs(start, end, body, false));
        }

        /**
         * The runs covering elements [start, end) of the row-major order. With {@code withIndex}
         * the offsets array has one more slot holding the run's first element index.
         */
        void runs(int start, int end, Run body, boolean withIndex) {
            if (start >= end) return;
            int rank = shape.length, views = starts.length, last = rank - 1, inner = shape[last];
            int[] counter = new int[rank];
            int[] off = new int[withIndex ? views + 1 : views];
            int rest = start;
            for (int d = last; d >= 0; d--) {
                counter[d] = rest % shape[d];
                rest /= shape[d];
            }
            for (int k = 0; k < views; k++) {
                long o = starts[k];
                for (int d = 0; d < rank; d++) o += (long) counter[d] * strides[k][d];
                off[k] = (int) o;
            }
            int pos = start;
            while (true) {
                int len = Math.min(inner - counter[last], end - pos);
                if (withIndex) off[views] = pos;
                body.run(off, len);
                pos += len;
                if (pos >= end) return;
                // The run ended a row: back to its first column, then step the outer counters.
                for (int k = 0; k < views; k++) off[k] -= counter[last] * strides[k][last];
                counter[last] = 0;
                for (int d = last - 1; d >= 0; d--) {
                    for (int k = 0; k < views; k++) off[k] += strides[k][d];
                    if (++counter[d] < shape[d]) break;
                    for (int k = 0; k < views; k++) off[k] -= strides[k][d] * shape[d];
                    counter[d] = 0;
                }
            }
        }
    }
}

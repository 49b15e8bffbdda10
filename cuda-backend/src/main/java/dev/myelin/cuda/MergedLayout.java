package dev.myelin.cuda;

import dev.myelin.Tensor;
import dev.myelin.cuda.kernels.KernelStructs;

import java.util.Arrays;

/**
 * Views of one shape walked together, as the CPU's Strided.Walk sees them: dimensions of size 1
 * dropped, and a dimension merged into the one before it where every view lays the two out as
 * one. Contiguous views then form a single dimension (stride 1), the common broadcasts a single
 * dimension of stride 0; a launcher takes a kernel's linear variant when {@link #linear()}, else
 * its Geometry (_nd) variant.
 */
final class MergedLayout {
    private final long[] sizes;
    private final long[][] strides;
    private final long numel;

    private MergedLayout(long[] sizes, long[][] strides, long numel) {
        this.sizes = sizes;
        this.strides = strides;
        this.numel = numel;
    }

    /** The layout of views (all of shape {@code shape}). */
    static MergedLayout of(int[] shape, Tensor... views) {
        long[][] st = new long[views.length][];
        for (int k = 0; k < views.length; k++) st[k] = views[k].strides();
        return of(shape, st);
    }

    static MergedLayout of(int[] shape, long[]... viewStrides) {
        int views = viewStrides.length;
        long[] s = new long[shape.length];
        long[][] st = new long[views][shape.length];
        long numel = 1;
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            numel *= shape[d];
            if (shape[d] == 1) continue;
            if (r > 0 && mergeable(st, r - 1, viewStrides, d, shape[d])) {
                s[r - 1] *= shape[d];
                for (int k = 0; k < views; k++) st[k][r - 1] = viewStrides[k][d];
            } else {
                s[r] = shape[d];
                for (int k = 0; k < views; k++) st[k][r] = viewStrides[k][d];
                r++;
            }
        }
        long[][] trimmed = new long[views][];
        for (int k = 0; k < views; k++) trimmed[k] = Arrays.copyOf(st[k], r);
        return new MergedLayout(Arrays.copyOf(s, r), trimmed, numel);
    }

    private static boolean mergeable(long[][] st, int prev, long[][] strides, int d, int size) {
        for (int k = 0; k < st.length; k++) {
            if (st[k][prev] != strides[k][d] * size) return false;
        }
        return true;
    }

    long numel() {
        return numel;
    }

    int rank() {
        return sizes.length;
    }

    /** One dimension (or none): every view is a run with a single stride. */
    boolean linear() {
        return sizes.length <= 1;
    }

    /** The single stride of view k in a linear layout (0 when there is no dimension left). */
    long stride(int k) {
        if (!linear()) throw new IllegalStateException("not a linear layout: " + this);
        return sizes.length == 0 ? 0 : strides[k][0];
    }

    /** The Geometry struct of this layout (at most 8 merged dimensions). */
    long[] geometry(String op) {
        return KernelStructs.geometry(op, sizes, strides);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("sizes ").append(Arrays.toString(sizes));
        for (long[] s : strides) b.append(" strides ").append(Arrays.toString(s));
        return b.toString();
    }
}

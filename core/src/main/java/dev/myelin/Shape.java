package dev.myelin;

import java.util.Arrays;

/** Shape arithmetic shared by the core and the backends: sizes, strides, broadcasting. */
public final class Shape {
    private Shape() {}

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Row-major strides, in elements. */
    public static long[] contiguousStrides(int[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    public static void checkValid(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(op + ": negative dimension in shape " + str(shape));
        }
    }

    /** The broadcast of two shapes under NumPy/PyTorch rules, or an exception naming the op. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Normalizes a possibly negative dimension index against a rank. */
    public static int dim(String op, int dim, int rank) {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= Math.max(rank, 1)) {
            throw new IllegalArgumentException(op + ": dim " + dim + " out of range for a tensor of rank " + rank);
        }
        return d;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    public static int[] of(int... dims) {
        return dims;
    }
}

package dev.myelin.cpu;

import dev.myelin.Tensor;

/**
 * Element access for arbitrary strided views of any dtype, as doubles. This is the general
 * (slow) path of the CPU kernels; fast paths handle the contiguous cases with the Vector API.
 */
final class Strided {
    private Strided() {}

    /** Storage index of every element of t in row-major order. */
    static int[] indices(Tensor t) {
        int n = Math.toIntExact(t.numel());
        int[] out = new int[n];
        int[] shape = t.shape();
        long[] strides = t.strides();
        int rank = shape.length;
        int[] counter = new int[rank];
        long pos = t.offset();
        for (int i = 0; i < n; i++) {
            out[i] = (int) pos;
            for (int d = rank - 1; d >= 0; d--) {
                if (++counter[d] < shape[d]) {
                    pos += strides[d];
                    break;
                }
                pos -= strides[d] * (shape[d] - 1);
                counter[d] = 0;
            }
        }
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

    static Object array(Tensor t) {
        return ((CpuStorage) t.storage()).array();
    }
}

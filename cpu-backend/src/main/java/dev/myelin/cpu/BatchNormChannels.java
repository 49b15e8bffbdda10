package dev.myelin.cpu;

import dev.myelin.Shape;
import dev.myelin.Tensor;

import java.util.Arrays;

/**
 * Per-channel (or per-feature) vectors such as weight, bias, running statistics and saved
 * statistics, read into and written from double arrays. They are small next to the input, so the
 * generic strided access costs nothing and lets them be any view.
 */
final class BatchNormChannels {
    private BatchNormChannels() {}

    /** The values of t, or {@code count} copies of {@code absent} when t is null. */
    static double[] read(String kernel, String arg, Tensor t, int count, double absent) {
        double[] v = new double[count];
        if (t == null) {
            Arrays.fill(v, absent);
            return v;
        }
        check(kernel, arg, t, count);
        Object a = Strided.array(t);
        if (t.isContiguous()) {
            // The usual case, without the index array of a strided walk.
            int off = CpuStorage.off(t);
            switch (a) {
                case float[] f -> {
                    for (int i = 0; i < count; i++) v[i] = f[off + i];
                    return v;
                }
                case double[] d -> {
                    System.arraycopy(d, off, v, 0, count);
                    return v;
                }
                default -> { }
            }
        }
        int[] idx = Strided.indices(t);
        for (int i = 0; i < count; i++) v[i] = Strided.get(a, idx[i]);
        return v;
    }

    /** Writes v into t (in place, whatever its strides). */
    static void write(String kernel, String arg, Tensor t, double[] v) {
        check(kernel, arg, t, v.length);
        Object a = Strided.array(t);
        if (t.isContiguous()) {
            int off = CpuStorage.off(t);
            switch (a) {
                case float[] f -> {
                    for (int i = 0; i < v.length; i++) f[off + i] = (float) v[i];
                    return;
                }
                case double[] d -> {
                    System.arraycopy(v, 0, d, off, v.length);
                    return;
                }
                default -> { }
            }
        }
        int[] idx = Strided.indices(t);
        for (int i = 0; i < v.length; i++) Strided.set(a, idx[i], v[i]);
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    private static void check(String kernel, String arg, Tensor t, int count) {
        if (t.numel() != count) {
            throw new IllegalArgumentException("cpu " + kernel + ": '" + arg + "' has shape " + Shape.str(t.shape())
                    + ", expected " + count + " elements");
        }
    }
}

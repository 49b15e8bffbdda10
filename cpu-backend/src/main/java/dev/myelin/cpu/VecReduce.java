package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.myelin.cpu.VecFloat.F;

/**
 * Vectorized reductions of a contiguous segment ({@code n} elements) or of a block of {@code rows}
 * contiguous rows of {@code width} elements down to one row. Float32 sums accumulate in float
 * lanes over short stretches ({@link #STRETCH} elements, or {@link #ROWS} rows) and the partial sums
 * join a double total, so a sum of millions of elements keeps about float precision. Max and min
 * propagate NaN, as PyTorch's. The float64 overloads are plain loops (float64 is the reference path).
 */
final class VecReduce {
    /** Elements a float lane group sums before its partial sum joins the double total. */
    static final int STRETCH = 256;
    /** Rows summed in a float row buffer before it joins the double row total. */
    static final int ROWS = 32;

    private static final int FL = F.length();

    private VecReduce() {}

    // ------------------------------------------------------------------ segments

    static double sum(float[] x, int off, int n) {
        double total = 0;
        for (int s = 0; s < n; s += STRETCH) {
            int len = Math.min(STRETCH, n - s), base = off + s, i = 0;
            FloatVector acc = FloatVector.zero(F);
            for (int ub = F.loopBound(len); i < ub; i += FL) acc = acc.add(FloatVector.fromArray(F, x, base + i));
            float part = LaneSums.sum(acc);
            for (; i < len; i++) part += x[base + i];
            total += part;
        }
        return total;
    }

    static double dot(float[] a, int ao, float[] b, int bo, int n) {
        double total = 0;
        for (int s = 0; s < n; s += STRETCH) {
            int len = Math.min(STRETCH, n - s), i = 0;
            FloatVector acc = FloatVector.zero(F);
            for (int ub = F.loopBound(len); i < ub; i += FL) {
                acc = FloatVector.fromArray(F, a, ao + s + i).fma(FloatVector.fromArray(F, b, bo + s + i), acc);
            }
            float part = LaneSums.sum(acc);
            for (; i < len; i++) part += a[ao + s + i] * b[bo + s + i];
            total += part;
        }
        return total;
    }

    /** Sum of (x - center)^2: the second pass of a two-pass variance. */
    static double sumSquares(float[] x, int off, int n, float center) {
        double total = 0;
        for (int s = 0; s < n; s += STRETCH) {
            int len = Math.min(STRETCH, n - s), base = off + s, i = 0;
            FloatVector acc = FloatVector.zero(F);
            for (int ub = F.loopBound(len); i < ub; i += FL) {
                FloatVector d = FloatVector.fromArray(F, x, base + i).sub(center);
                acc = d.fma(d, acc);
            }
            float part = LaneSums.sum(acc);
            for (; i < len; i++) {
                float d = x[base + i] - center;
                part += d * d;
            }
            total += part;
        }
        return total;
    }

    static double sum(double[] x, int off, int n) {
        double total = 0;
        for (int i = 0; i < n; i++) total += x[off + i];
        return total;
    }

    static double sumSquares(double[] x, int off, int n, double center) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = x[off + i] - center;
            total += d * d;
        }
        return total;
    }

    /** Max (or min) of n >= 1 elements; NaN if any is NaN. */
    static double extreme(float[] x, int off, int n, boolean max) {
        int i = 0, ub = F.loopBound(n);
        float best = x[off];
        if (ub > 0) {
            FloatVector acc = FloatVector.fromArray(F, x, off);
            if (max) for (i = FL; i < ub; i += FL) acc = acc.max(FloatVector.fromArray(F, x, off + i));
            else for (i = FL; i < ub; i += FL) acc = acc.min(FloatVector.fromArray(F, x, off + i));
            if (acc.test(VectorOperators.IS_NAN).anyTrue()) return Double.NaN;
            best = acc.reduceLanes(max ? VectorOperators.MAX : VectorOperators.MIN);
        }
        for (; i < n; i++) best = max ? Math.max(best, x[off + i]) : Math.min(best, x[off + i]);
        return best;
    }

    /** Math.max and Math.min propagate NaN, so a NaN stays the result once met. */
    static double extreme(double[] x, int off, int n, boolean max) {
        double best = x[off];
        for (int i = 1; i < n; i++) best = max ? Math.max(best, x[off + i]) : Math.min(best, x[off + i]);
        return best;
    }

    // ------------------------------------------------------------------ rows

    /** dst[d + c] = sum over the rows of x[off + r * width + c]. */
    static void sumRows(float[] x, int off, int rows, int width, double[] dst, int d) {
        float[] buf = new float[width];
        java.util.Arrays.fill(dst, d, d + width, 0);
        for (int r0 = 0; r0 < rows; r0 += ROWS) {
            java.util.Arrays.fill(buf, 0);
            for (int r = r0, end = Math.min(rows, r0 + ROWS); r < end; r++) addInto(buf, x, off + r * width, width);
            for (int c = 0; c < width; c++) dst[d + c] += buf[c];
        }
    }

    /** dst[d + c] = sum over the rows of (x[off + r * width + c] - center[c])^2. */
    static void sumSquaresRows(float[] x, int off, int rows, int width, float[] center, double[] dst, int d) {
        float[] buf = new float[width];
        java.util.Arrays.fill(dst, d, d + width, 0);
        for (int r0 = 0; r0 < rows; r0 += ROWS) {
            java.util.Arrays.fill(buf, 0);
            for (int r = r0, end = Math.min(rows, r0 + ROWS); r < end; r++) {
                int row = off + r * width, c = 0;
                for (int ub = F.loopBound(width); c < ub; c += FL) {
                    FloatVector dv = FloatVector.fromArray(F, x, row + c).sub(FloatVector.fromArray(F, center, c));
                    dv.fma(dv, FloatVector.fromArray(F, buf, c)).intoArray(buf, c);
                }
                for (; c < width; c++) {
                    float dv = x[row + c] - center[c];
                    buf[c] += dv * dv;
                }
            }
            for (int c = 0; c < width; c++) dst[d + c] += buf[c];
        }
    }

    private static void addInto(float[] acc, float[] x, int row, int width) {
        int c = 0;
        for (int ub = F.loopBound(width); c < ub; c += FL) {
            FloatVector.fromArray(F, acc, c).add(FloatVector.fromArray(F, x, row + c)).intoArray(acc, c);
        }
        for (; c < width; c++) acc[c] += x[row + c];
    }

    static void sumRows(double[] x, int off, int rows, int width, double[] dst, int d) {
        java.util.Arrays.fill(dst, d, d + width, 0);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) dst[d + c] += x[off + r * width + c];
        }
    }

    static void sumSquaresRows(double[] x, int off, int rows, int width, double[] center, double[] dst, int d) {
        java.util.Arrays.fill(dst, d, d + width, 0);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                double dv = x[off + r * width + c] - center[c];
                dst[d + c] += dv * dv;
            }
        }
    }

    /** dst[d + c] = max (or min) over rows >= 1 of x[off + r * width + c], NaN propagating. */
    static void extremeRows(float[] x, int off, int rows, int width, boolean max, double[] dst, int d) {
        float[] buf = java.util.Arrays.copyOfRange(x, off, off + width);
        for (int r = 1; r < rows; r++) {
            int row = off + r * width, c = 0, ub = F.loopBound(width);
            if (max) {
                for (; c < ub; c += FL) {
                    FloatVector.fromArray(F, buf, c).max(FloatVector.fromArray(F, x, row + c)).intoArray(buf, c);
                }
                for (; c < width; c++) buf[c] = Math.max(buf[c], x[row + c]);
            } else {
                for (; c < ub; c += FL) {
                    FloatVector.fromArray(F, buf, c).min(FloatVector.fromArray(F, x, row + c)).intoArray(buf, c);
                }
                for (; c < width; c++) buf[c] = Math.min(buf[c], x[row + c]);
            }
        }
        for (int c = 0; c < width; c++) dst[d + c] = buf[c];
    }

    static void extremeRows(double[] x, int off, int rows, int width, boolean max, double[] dst, int d) {
        System.arraycopy(x, off, dst, d, width);
        for (int r = 1; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                double v = x[off + r * width + c];
                dst[d + c] = max ? Math.max(dst[d + c], v) : Math.min(dst[d + c], v);
            }
        }
    }
}

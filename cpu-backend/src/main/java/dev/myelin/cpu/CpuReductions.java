package dev.myelin.cpu;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Reductions;

/**
 * CPU kernels of the Reductions family. Floating tensors whose reduced dimensions form one block
 * ({@link ReduceLayout}) take the vectorized, parallel path of {@link VecReduce}, split into
 * partial results that are combined in a fixed order; other patterns and integer tensors walk x
 * once, accumulating in double (long for integers, which stays exact).
 */
final class CpuReductions implements Reductions {
    /** Columns per unit of work of argReduce. */
    private static final int ARG_BLOCK = 1024;

    @Override
    public void reduce(Op op, Tensor x, Tensor out) {
        int outN = Math.toIntExact(out.numel());
        if (outN == 0) return;
        if (x.numel() == 0) {
            // Only SUM and MEAN reach here (the core rejects empty max/min): 0, and 0/0.
            fill(out, op == Op.MEAN ? Double.NaN : 0);
            return;
        }
        ReduceLayout layout = new ReduceLayout(x.shape(), out.shape());
        Object xs = Strided.array(x);
        if (layout.single && ElementwiseCopy.isFloating(xs)) {
            blocks(op, xs, CpuStorage.off(x), layout, Strided.array(out), CpuStorage.off(out));
        } else {
            walk(op, x, out);
        }
    }

    /** The [outer, reduced, inner] path: partial results per (outer slice, part of the rows). */
    private static void blocks(Op op, Object x, int xo, ReduceLayout l, Object out, int oo) {
        int parts = l.parts(), inner = l.inner, reduced = l.reduced;
        double[] partial = new double[l.outer * parts * inner];
        Parallel.forRange(l.outer * parts, (long) reduced * inner / parts, (s, e) -> {
            for (int u = s; u < e; u++) {
                int a = u / parts, p = u % parts;
                int r0 = (int) ((long) reduced * p / parts), r1 = (int) ((long) reduced * (p + 1) / parts);
                int base = Math.toIntExact(xo + ((long) a * reduced + r0) * inner);
                slab(op, x, base, r1 - r0, inner, partial, u * inner);
            }
        });
        for (int a = 0; a < l.outer; a++) {
            for (int c = 0; c < inner; c++) {
                int first = a * parts * inner + c;
                double v = partial[first];
                for (int p = 1; p < parts; p++) v = combine(op, v, partial[first + p * inner]);
                Strided.set(out, oo + a * inner + c, op == Op.MEAN ? v / reduced : v);
            }
        }
    }

    /** Reduces rows x rows of width contiguous elements at base into dst[d .. d + width). */
    private static void slab(Op op, Object x, int base, int rows, int width, double[] dst, int d) {
        boolean max = op == Op.MAX, sum = op == Op.SUM || op == Op.MEAN;
        switch (x) {
            case float[] f when width == 1 ->
                    dst[d] = sum ? VecReduce.sum(f, base, rows) : VecReduce.extreme(f, base, rows, max);
            case double[] f when width == 1 ->
                    dst[d] = sum ? VecReduce.sum(f, base, rows) : VecReduce.extreme(f, base, rows, max);
            case float[] f -> {
                if (sum) VecReduce.sumRows(f, base, rows, width, dst, d);
                else VecReduce.extremeRows(f, base, rows, width, max, dst, d);
            }
            case double[] f -> {
                if (sum) VecReduce.sumRows(f, base, rows, width, dst, d);
                else VecReduce.extremeRows(f, base, rows, width, max, dst, d);
            }
            default -> throw new IllegalStateException("unexpected storage " + x.getClass());
        }
    }

    private static double segment(Op op, Object x, int off, int n) {
        boolean sum = op == Op.SUM || op == Op.MEAN;
        return switch (x) {
            case float[] f -> sum ? VecReduce.sum(f, off, n) : VecReduce.extreme(f, off, n, op == Op.MAX);
            case double[] f -> sum ? VecReduce.sum(f, off, n) : VecReduce.extreme(f, off, n, op == Op.MAX);
            default -> throw new IllegalStateException("unexpected storage " + x.getClass());
        };
    }

    private static double combine(Op op, double a, double b) {
        return switch (op) {
            case SUM, MEAN -> a + b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    /** Any pattern, any dtype: one pass over x with out's index walked alongside (stride 0 where reduced). */
    private static void walk(Op op, Tensor x, Tensor out) {
        Object o = Strided.array(out);
        int oo = CpuStorage.off(out);
        if (ElementwiseCopy.isFloating(Strided.array(x))) {
            double[] acc = walkDouble(op, x, out.shape());
            for (int t = 0; t < acc.length; t++) Strided.set(o, oo + t, acc[t]);
        } else {
            long[] acc = walkLong(op, x, out.shape());
            for (int t = 0; t < acc.length; t++) Strided.setLong(o, oo + t, acc[t]);
        }
    }

    private static double[] walkDouble(Op op, Tensor x, int[] outShape) {
        Object xs = Strided.array(x);
        boolean floating = ElementwiseCopy.isFloating(xs);
        double[] acc = new double[Math.toIntExact(Shape.numel(outShape))];
        boolean[] seen = new boolean[acc.length];
        Strided.Walk w = accumulatorWalk(x, outShape);
        int step = w.step(0), as = w.step(1);
        w.runs(0, w.numel(), (off, n) -> {
            if (as == 0 && step == 1 && floating) {
                // The run reduces into one element: the vectorized segment kernels.
                int t = off[1];
                double v = segment(op, xs, off[0], n);
                acc[t] = seen[t] ? combine(op, acc[t], v) : v;
                seen[t] = true;
                return;
            }
            for (int i = 0; i < n; i++) {
                int t = off[1] + i * as;
                double v = Strided.get(xs, off[0] + i * step);
                acc[t] = seen[t] ? combine(op, acc[t], v) : v;
                seen[t] = true;
            }
        }, false);
        if (op == Op.MEAN) {
            long count = x.numel() / acc.length;
            for (int t = 0; t < acc.length; t++) acc[t] /= count;
        }
        return acc;
    }

    private static long[] walkLong(Op op, Tensor x, int[] outShape) {
        Object xs = Strided.array(x);
        long[] acc = new long[Math.toIntExact(Shape.numel(outShape))];
        boolean[] seen = new boolean[acc.length];
        Strided.Walk w = accumulatorWalk(x, outShape);
        int step = w.step(0), as = w.step(1);
        w.runs(0, w.numel(), (off, n) -> {
            for (int i = 0; i < n; i++) {
                int t = off[1] + i * as;
                long v = Strided.getLong(xs, off[0] + i * step);
                acc[t] = !seen[t] ? v : switch (op) {
                    case SUM, MEAN -> acc[t] + v;
                    case MAX -> Math.max(acc[t], v);
                    case MIN -> Math.min(acc[t], v);
                };
                seen[t] = true;
            }
        }, false);
        return acc;
    }

    /** Walks x and an accumulator array of out's size, indexed like out but with stride 0 where reduced. */
    private static Strided.Walk accumulatorWalk(Tensor x, int[] os) {
        int[] xs = x.shape();
        long[] strides = Shape.contiguousStrides(os);
        for (int d = 0; d < xs.length; d++) if (os[d] == 1) strides[d] = 0;
        return new Strided.Walk(xs, new int[] {CpuStorage.off(x), 0}, new long[][] {x.strides(), strides});
    }

    @Override
    public void variance(Tensor x, int correction, Tensor out) {
        int outN = Math.toIntExact(out.numel());
        if (outN == 0) return;
        if (x.numel() == 0) {
            fill(out, Double.NaN);
            return;
        }
        ReduceLayout l = new ReduceLayout(x.shape(), out.shape());
        Object xs = Strided.array(x);
        if (!l.single || !ElementwiseCopy.isFloating(xs)) {
            // Rare patterns: two passes of the walk.
            double[] mean = walkDouble(Op.MEAN, x, out.shape());
            varianceWalk(x, mean, correction, out);
            return;
        }
        int parts = l.parts(), inner = l.inner;
        double[] means = new double[l.outer * parts * inner], m2 = new double[means.length];
        int[] counts = new int[l.outer * parts];
        int xo = CpuStorage.off(x);
        Parallel.forRange(l.outer * parts, (long) l.reduced * inner * 2 / parts, (s, e) -> {
            for (int u = s; u < e; u++) {
                int a = u / parts, p = u % parts;
                int r0 = (int) ((long) l.reduced * p / parts), r1 = (int) ((long) l.reduced * (p + 1) / parts);
                int base = Math.toIntExact(xo + ((long) a * l.reduced + r0) * inner);
                counts[u] = r1 - r0;
                moments(xs, base, r1 - r0, inner, means, m2, u * inner);
            }
        });
        Object o = Strided.array(out);
        int oo = CpuStorage.off(out);
        for (int a = 0; a < l.outer; a++) {
            for (int c = 0; c < inner; c++) {
                // Chan et al.'s pairwise update joins the parts' (count, mean, M2).
                int first = a * parts;
                double n = counts[first], mean = means[first * inner + c], sq = m2[first * inner + c];
                for (int p = 1; p < parts; p++) {
                    int u = first + p;
                    if (counts[u] == 0) continue;
                    double nb = counts[u], delta = means[u * inner + c] - mean, total = n + nb;
                    mean += delta * nb / total;
                    sq += m2[u * inner + c] + delta * delta * n * nb / total;
                    n = total;
                }
                Strided.set(o, oo + a * inner + c, sq / Math.max(0, n - correction));
            }
        }
    }

    /** Two-pass mean and sum of squared deviations of a slab, per column. */
    private static void moments(Object x, int base, int rows, int width, double[] means, double[] m2, int d) {
        if (rows == 0) return;
        switch (x) {
            case float[] f when width == 1 -> {
                double mean = VecReduce.sum(f, base, rows) / rows;
                means[d] = mean;
                m2[d] = VecReduce.sumSquares(f, base, rows, (float) mean);
            }
            case double[] f when width == 1 -> {
                double mean = VecReduce.sum(f, base, rows) / rows;
                means[d] = mean;
                m2[d] = VecReduce.sumSquares(f, base, rows, mean);
            }
            case float[] f -> {
                VecReduce.sumRows(f, base, rows, width, means, d);
                float[] center = new float[width];
                for (int c = 0; c < width; c++) center[c] = (float) (means[d + c] /= rows);
                VecReduce.sumSquaresRows(f, base, rows, width, center, m2, d);
            }
            case double[] f -> {
                VecReduce.sumRows(f, base, rows, width, means, d);
                double[] center = new double[width];
                for (int c = 0; c < width; c++) center[c] = means[d + c] /= rows;
                VecReduce.sumSquaresRows(f, base, rows, width, center, m2, d);
            }
            default -> throw new IllegalStateException("unexpected storage " + x.getClass());
        }
    }

    private static void varianceWalk(Tensor x, double[] mean, int correction, Tensor out) {
        Object xs = Strided.array(x), o = Strided.array(out);
        double[] sq = new double[mean.length];
        Strided.Walk w = accumulatorWalk(x, out.shape());
        int xs0 = w.step(0), as = w.step(1);
        w.runs(0, w.numel(), (off, n) -> {
            if (as == 0 && xs0 == 1 && ElementwiseCopy.isFloating(xs)) {
                int t = off[1];
                sq[t] += switch (xs) {
                    case float[] f -> VecReduce.sumSquares(f, off[0], n, (float) mean[t]);
                    case double[] f -> VecReduce.sumSquares(f, off[0], n, mean[t]);
                    default -> throw new IllegalStateException("unexpected storage " + xs.getClass());
                };
                return;
            }
            for (int i = 0; i < n; i++) {
                int t = off[1] + i * as;
                double dv = Strided.get(xs, off[0] + i * xs0) - mean[t];
                sq[t] += dv * dv;
            }
        }, false);
        long count = x.numel() / mean.length;
        int oo = CpuStorage.off(out);
        for (int t = 0; t < mean.length; t++) Strided.set(o, oo + t, sq[t] / Math.max(0, count - correction));
    }

    /**
     * Index of the first maximum (minimum) along dim. A NaN counts as the extreme, as in PyTorch's
     * argmax/argmin: the first NaN's index is returned. x is viewed as [outer, n, inner]; a unit of
     * work scans a block of adjacent columns row by row, so memory is read in order.
     */
    @Override
    public void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        int[] shape = x.shape();
        int n = shape.length == 0 ? 1 : shape[dim];
        int inner = 1;
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        int outer = Math.toIntExact(x.numel() / Math.max(1, (long) n * inner));
        int cols = inner, blocks = (inner + ARG_BLOCK - 1) / ARG_BLOCK;
        Object xs = Strided.array(x);
        long[] o = CpuStorage.i64(out);
        int xo = CpuStorage.off(x), oo = CpuStorage.off(out);
        Parallel.forRange(outer * blocks, (long) n * Math.min(inner, ARG_BLOCK), (s, e) -> {
            for (int u = s; u < e; u++) {
                int a = u / blocks, c0 = (u % blocks) * ARG_BLOCK, w = Math.min(ARG_BLOCK, cols - c0);
                ReduceArg.scan(xs, xo + a * n * cols + c0, n, cols, w, max, o, oo + a * cols + c0);
            }
        });
    }

    private static void fill(Tensor out, double value) {
        Object o = Strided.array(out);
        int oo = CpuStorage.off(out);
        for (int t = 0, n = Math.toIntExact(out.numel()); t < n; t++) Strided.set(o, oo + t, value);
    }
}

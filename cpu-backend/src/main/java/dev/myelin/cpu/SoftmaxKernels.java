package dev.myelin.cpu;

import dev.myelin.Tensor;

/**
 * Softmax and log-softmax along one dimension of a contiguous tensor viewed as [outer, n, inner],
 * numerically stable (the row maximum is subtracted), accumulating in double. Rows are
 * independent, so they run in parallel.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {}

    /** The [outer, n, inner] view of a shape around dim. */
    private record Layout(int outer, int n, int inner) {
        static Layout of(Tensor t, int dim) {
            int[] shape = t.shape();
            int outer = 1, inner = 1;
            for (int d = 0; d < dim; d++) outer *= shape[d];
            for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
            return new Layout(outer, shape[dim], inner);
        }
    }

    static void forward(Tensor x, int dim, boolean log, Tensor y) {
        Layout l = Layout.of(x, dim);
        Object xs = Strided.array(x), ys = Strided.array(y);
        int xo = CpuStorage.off(x), yo = CpuStorage.off(y);
        Parallel.forRange(l.outer * l.inner, l.n * 8L, (s, e) -> {
            for (int row = s; row < e; row++) {
                int base = (row / l.inner) * l.n * l.inner + row % l.inner;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < l.n; k++) max = Math.max(max, Strided.get(xs, xo + base + k * l.inner));
                if (max == Double.NEGATIVE_INFINITY) max = 0;
                double sum = 0;
                for (int k = 0; k < l.n; k++) sum += Math.exp(Strided.get(xs, xo + base + k * l.inner) - max);
                double logSum = Math.log(sum);
                for (int k = 0; k < l.n; k++) {
                    int i = base + k * l.inner;
                    double shifted = Strided.get(xs, xo + i) - max;
                    Strided.set(ys, yo + i, log ? shifted - logSum : Math.exp(shifted) / sum);
                }
            }
        });
    }

    /** softmax: gx = y (g - sum g y); log-softmax: gx = g - exp(y) sum g. */
    static void backward(Tensor y, Tensor gradY, int dim, boolean log, Tensor gradX) {
        Layout l = Layout.of(y, dim);
        Object ys = Strided.array(y), gs = Strided.array(gradY), out = Strided.array(gradX);
        int yo = CpuStorage.off(y), go = CpuStorage.off(gradY), oo = CpuStorage.off(gradX);
        Parallel.forRange(l.outer * l.inner, l.n * 6L, (s, e) -> {
            for (int row = s; row < e; row++) {
                int base = (row / l.inner) * l.n * l.inner + row % l.inner;
                double dot = 0;
                for (int k = 0; k < l.n; k++) {
                    int i = base + k * l.inner;
                    dot += log ? Strided.get(gs, go + i) : Strided.get(gs, go + i) * Strided.get(ys, yo + i);
                }
                for (int k = 0; k < l.n; k++) {
                    int i = base + k * l.inner;
                    double yv = Strided.get(ys, yo + i), g = Strided.get(gs, go + i);
                    Strided.set(out, oo + i, log ? g - Math.exp(yv) * dot : yv * (g - dot));
                }
            }
        });
    }
}

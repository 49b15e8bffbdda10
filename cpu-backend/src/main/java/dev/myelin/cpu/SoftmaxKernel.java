package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static dev.myelin.cpu.VecFloat.F;
import static dev.myelin.cpu.VecFloat.L;

/**
 * Softmax and log-softmax over the middle dimension of a contiguous [outer, n, inner] array, and
 * their backward from the output, as PyTorch computes them: {@code y = exp(x - max) / sum} or
 * {@code y = x - max - log(sum)}; {@code gx = y * (g - sum(g * y))} or {@code gx = g - exp(y) * sum(g)}.
 * With inner == 1 each softmax is a contiguous row; otherwise the n values of one softmax are
 * {@code inner} apart, and a unit of work takes a block of adjacent columns at once so that its
 * loops run along contiguous memory (vectorized for float32).
 */
final class SoftmaxKernel {
    /** Columns per unit of work when inner > 1: bounds the per-unit buffers. */
    private static final int BLOCK = 512;

    private final int outer, n, inner, blocks;

    SoftmaxKernel(int outer, int n, int inner) {
        this.outer = outer;
        this.n = n;
        this.inner = inner;
        this.blocks = (inner + BLOCK - 1) / BLOCK;
    }

    /** Runs body over every (outer index, column block), in parallel when the work is large. */
    private void units(long costPerElement, Unit body) {
        if (n == 0) return;
        Parallel.forRange(outer * blocks, (long) n * Math.min(inner, BLOCK) * costPerElement, (s, e) -> {
            for (int u = s; u < e; u++) {
                int o = u / blocks, c0 = (u % blocks) * BLOCK;
                body.run(o * n * inner + c0, Math.min(BLOCK, inner - c0));
            }
        });
    }

    @FunctionalInterface
    private interface Unit {
        /** base: index of element (o, 0, c0); width: columns in the block. */
        void run(int base, int width);
    }

    // ------------------------------------------------------------------ float32

    void forward(float[] x, int xo, float[] y, int yo, boolean log) {
        if (inner == 1) {
            units(4, (base, w) -> forwardRow(x, xo + base, y, yo + base, log));
        } else {
            units(4, (base, w) -> forwardColumns(x, xo + base, y, yo + base, w, log));
        }
    }

    private void forwardRow(float[] x, int xo, float[] y, int yo, boolean log) {
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            vmax = vmax.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, x, xo + i, m), m);
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        FloatVector vsum = FloatVector.zero(F);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector e = VecMath.exp(FloatVector.fromArray(F, x, xo + i, m).sub(max));
            if (!log) e.intoArray(y, yo + i, m);
            vsum = vsum.add(e, m);
        }
        float sum = LaneSums.sum(vsum);
        if (log) {
            float logSum = (float) Math.log(sum);
            for (int i = 0; i < n; i += L) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector.fromArray(F, x, xo + i, m).sub(max).sub(logSum).intoArray(y, yo + i, m);
            }
        } else {
            float inv = 1 / sum;
            for (int i = 0; i < n; i += L) {
                VectorMask<Float> m = F.indexInRange(i, n);
                FloatVector.fromArray(F, y, yo + i, m).mul(inv).intoArray(y, yo + i, m);
            }
        }
    }

    private void forwardColumns(float[] x, int xo, float[] y, int yo, int w, boolean log) {
        float[] max = new float[w], sum = new float[w];
        System.arraycopy(x, xo, max, 0, w);
        for (int k = 1; k < n; k++) {
            int row = xo + k * inner;
            for (int c = 0; c < w; c += L) {
                VectorMask<Float> m = F.indexInRange(c, w);
                FloatVector.fromArray(F, max, c, m).max(FloatVector.fromArray(F, x, row + c, m)).intoArray(max, c, m);
            }
        }
        for (int k = 0; k < n; k++) {
            int xr = xo + k * inner, yr = yo + k * inner;
            for (int c = 0; c < w; c += L) {
                VectorMask<Float> m = F.indexInRange(c, w);
                FloatVector e = VecMath.exp(FloatVector.fromArray(F, x, xr + c, m)
                        .sub(FloatVector.fromArray(F, max, c, m)));
                if (!log) e.intoArray(y, yr + c, m);
                FloatVector.fromArray(F, sum, c, m).add(e).intoArray(sum, c, m);
            }
        }
        for (int c = 0; c < w; c++) sum[c] = log ? (float) Math.log(sum[c]) : 1 / sum[c];
        for (int k = 0; k < n; k++) {
            int xr = xo + k * inner, yr = yo + k * inner;
            for (int c = 0; c < w; c += L) {
                VectorMask<Float> m = F.indexInRange(c, w);
                FloatVector s = FloatVector.fromArray(F, sum, c, m);
                if (log) {
                    FloatVector.fromArray(F, x, xr + c, m).sub(FloatVector.fromArray(F, max, c, m)).sub(s)
                            .intoArray(y, yr + c, m);
                } else {
                    FloatVector.fromArray(F, y, yr + c, m).mul(s).intoArray(y, yr + c, m);
                }
            }
        }
    }

    void backward(float[] y, int yo, float[] g, int go, float[] gx, int gxo, boolean log) {
        if (inner == 1) {
            units(4, (base, w) -> backwardRow(y, yo + base, g, go + base, gx, gxo + base, log));
        } else {
            units(4, (base, w) -> backwardColumns(y, yo + base, g, go + base, gx, gxo + base, w, log));
        }
    }

    // Separate loops for softmax and log-softmax: a vector chosen by a branch inside a loop is boxed.
    private void backwardRow(float[] y, int yo, float[] g, int go, float[] gx, int gxo, boolean log) {
        float dot = (float) (log ? VecReduce.sum(g, go, n) : VecReduce.dot(g, go, y, yo, n));
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = F.indexInRange(i, n);
            FloatVector yv = FloatVector.fromArray(F, y, yo + i, m), d = FloatVector.fromArray(F, g, go + i, m);
            if (log) d.sub(VecMath.exp(yv).mul(dot)).intoArray(gx, gxo + i, m);
            else yv.mul(d.sub(dot)).intoArray(gx, gxo + i, m);
        }
    }

    private void backwardColumns(float[] y, int yo, float[] g, int go, float[] gx, int gxo, int w, boolean log) {
        float[] dot = new float[w];
        for (int k = 0; k < n; k++) {
            int yr = yo + k * inner, gr = go + k * inner;
            for (int c = 0; c < w; c += L) {
                VectorMask<Float> m = F.indexInRange(c, w);
                FloatVector d = FloatVector.fromArray(F, g, gr + c, m), s = FloatVector.fromArray(F, dot, c, m);
                if (log) s.add(d).intoArray(dot, c, m);
                else s.add(d.mul(FloatVector.fromArray(F, y, yr + c, m))).intoArray(dot, c, m);
            }
        }
        for (int k = 0; k < n; k++) {
            int yr = yo + k * inner, gr = go + k * inner, xr = gxo + k * inner;
            for (int c = 0; c < w; c += L) {
                VectorMask<Float> m = F.indexInRange(c, w);
                FloatVector yv = FloatVector.fromArray(F, y, yr + c, m), d = FloatVector.fromArray(F, g, gr + c, m);
                FloatVector s = FloatVector.fromArray(F, dot, c, m);
                if (log) d.sub(VecMath.exp(yv).mul(s)).intoArray(gx, xr + c, m);
                else yv.mul(d.sub(s)).intoArray(gx, xr + c, m);
            }
        }
    }

    // ------------------------------------------------------------------ float64 (exact Math.exp, scalar)

    void forward(double[] x, int xo, double[] y, int yo, boolean log) {
        units(8, (base, w) -> {
            double[] max = new double[w], sum = new double[w];
            for (int c = 0; c < w; c++) max[c] = x[xo + base + c];
            for (int k = 1; k < n; k++) {
                int row = xo + base + k * inner;
                for (int c = 0; c < w; c++) max[c] = Math.max(max[c], x[row + c]);
            }
            for (int k = 0; k < n; k++) {
                int xr = xo + base + k * inner, yr = yo + base + k * inner;
                for (int c = 0; c < w; c++) {
                    double e = Math.exp(x[xr + c] - max[c]);
                    if (!log) y[yr + c] = e;
                    sum[c] += e;
                }
            }
            for (int c = 0; c < w; c++) sum[c] = log ? Math.log(sum[c]) : 1 / sum[c];
            for (int k = 0; k < n; k++) {
                int xr = xo + base + k * inner, yr = yo + base + k * inner;
                for (int c = 0; c < w; c++) y[yr + c] = log ? x[xr + c] - max[c] - sum[c] : y[yr + c] * sum[c];
            }
        });
    }

    void backward(double[] y, int yo, double[] g, int go, double[] gx, int gxo, boolean log) {
        units(8, (base, w) -> {
            double[] dot = new double[w];
            for (int k = 0; k < n; k++) {
                int yr = yo + base + k * inner, gr = go + base + k * inner;
                for (int c = 0; c < w; c++) dot[c] += log ? g[gr + c] : g[gr + c] * y[yr + c];
            }
            for (int k = 0; k < n; k++) {
                int yr = yo + base + k * inner, gr = go + base + k * inner, xr = gxo + base + k * inner;
                for (int c = 0; c < w; c++) {
                    gx[xr + c] = log ? g[gr + c] - Math.exp(y[yr + c]) * dot[c] : y[yr + c] * (g[gr + c] - dot[c]);
                }
            }
        });
    }
}

package dev.myelin.cpu;

import dev.myelin.backend.Pooling;

/**
 * Pooling kernels for one [h, w] plane, written output row by output row: for each tap (input row,
 * kernel column) one loop runs along the output row, so the inner loops are long rather than
 * kernel-sized. Each output still sees its taps in PyTorch's order (input row, then column),
 * which fixes which of equal maxima (the first) or NaNs (the last) gives the index.
 */
final class PoolRows {
    private PoolRows() {}

    /** One plane's geometry: input h x w, output oh x ow. */
    record Plane(int h, int w, int oh, int ow, Pooling.Params p) {
        int in() {
            return h * w;
        }

        int out() {
            return oh * ow;
        }

        /** First input row of output row oy's window (may be negative: padding). */
        int rowStart(int oy) {
            return oy * p.strideH() - p.padH();
        }

        /** Output columns [lo, hi) whose kernel column kx falls inside the input. */
        int lo(int kx) {
            int off = kx - p.padW();
            return off >= 0 ? 0 : Math.min(ow, (-off + p.strideW() - 1) / p.strideW());
        }

        int hi(int kx) {
            int off = kx - p.padW();
            if (off >= w) return 0;
            return Math.max(lo(kx), Math.min(ow, (w - 1 - off) / p.strideW() + 1));
        }

        /**
         * PyTorch's average-pool divisor: the window clipped to the padded input (count_include_pad)
         * or to the input; 0 for a window wholly in the padding (its output is 0).
         */
        int divisor(int oy, int ox) {
            int hs = rowStart(oy), ws = ox * p.strideW() - p.padW();
            int he = Math.min(hs + p.kernelH(), h + p.padH()), we = Math.min(ws + p.kernelW(), w + p.padW());
            int inside = Math.max(0, Math.min(he, h) - Math.max(hs, 0))
                    * Math.max(0, Math.min(we, w) - Math.max(ws, 0));
            return inside == 0 ? 0 : p.countIncludePad() ? (he - hs) * (we - ws) : inside;
        }
    }

    /** Max over each window (padding is -inf); mx and best are scratch rows of length ow. */
    static void max(float[] x, int xo, Plane g, float[] y, int yo, long[] idx, int io, float[] mx, int[] best) {
        if (isPlain2x2(g)) {
            max2x2(x, xo, g, y, yo, idx, io);
            return;
        }
        Pooling.Params p = g.p();
        for (int oy = 0; oy < g.oh(); oy++) {
            int hs = g.rowStart(oy), h0 = Math.max(hs, 0), h1 = Math.min(hs + p.kernelH(), g.h());
            for (int ox = 0; ox < g.ow(); ox++) {
                mx[ox] = Float.NEGATIVE_INFINITY;
                best[ox] = h0 * g.w() + Math.max(ox * p.strideW() - p.padW(), 0);
            }
            for (int ih = h0; ih < h1; ih++) {
                int row = ih * g.w();
                for (int kx = 0; kx < p.kernelW(); kx++) {
                    int off = kx - p.padW();
                    for (int ox = g.lo(kx), hi = g.hi(kx); ox < hi; ox++) {
                        int at = row + ox * p.strideW() + off;
                        float v = x[xo + at];
                        // As PyTorch: a NaN wins, so that it propagates. Selects by bit masks: on real
                        // data the comparison is unpredictable, and a branch here costs 3x.
                        int take = v > mx[ox] | v != v ? -1 : 0;
                        int m = Float.floatToRawIntBits(mx[ox]);
                        mx[ox] = Float.intBitsToFloat(m ^ ((m ^ Float.floatToRawIntBits(v)) & take));
                        best[ox] ^= (best[ox] ^ at) & take;
                    }
                }
            }
            for (int ox = 0; ox < g.ow(); ox++) {
                y[yo + oy * g.ow() + ox] = mx[ox];
                idx[io + oy * g.ow() + ox] = best[ox];
            }
        }
    }

    /** The common MaxPool2d(2): 2 x 2 windows, stride 2, no padding, every window inside the input. */
    private static boolean isPlain2x2(Plane g) {
        Pooling.Params p = g.p();
        return p.kernelH() == 2 && p.kernelW() == 2 && p.strideH() == 2 && p.strideW() == 2 && p.padH() == 0
                && p.padW() == 0 && 2 * g.oh() <= g.h() && 2 * g.ow() <= g.w();
    }

    /**
     * {@link #max} for {@link #isPlain2x2} planes, each window's four taps in registers (the general
     * loop keeps a running max per output in memory, 6x slower here). Same order and rules: taps row
     * by row, a tap wins when greater or NaN.
     */
    private static void max2x2(float[] x, int xo, Plane g, float[] y, int yo, long[] idx, int io) {
        int w = g.w(), ow = g.ow();
        for (int oy = 0; oy < g.oh(); oy++) {
            int top = 2 * oy * w, out = oy * ow;
            for (int ox = 0; ox < ow; ox++) {
                int at = top + 2 * ox;
                int m = Float.floatToRawIntBits(x[xo + at]), best = at;
                // Selects by bit masks, as the general loop: a branch on real data mispredicts (2x slower).
                int v = Float.floatToRawIntBits(x[xo + at + 1]), take = wins(v, m);
                m ^= (m ^ v) & take;
                best ^= (best ^ (at + 1)) & take;
                v = Float.floatToRawIntBits(x[xo + at + w]);
                take = wins(v, m);
                m ^= (m ^ v) & take;
                best ^= (best ^ (at + w)) & take;
                v = Float.floatToRawIntBits(x[xo + at + w + 1]);
                take = wins(v, m);
                m ^= (m ^ v) & take;
                best ^= (best ^ (at + w + 1)) & take;
                y[yo + out + ox] = Float.intBitsToFloat(m);
                idx[io + out + ox] = best;
            }
        }
    }

    /** -1 when tap v (float bits) replaces the running max m: greater, or NaN; else 0. */
    private static int wins(int v, int m) {
        float fv = Float.intBitsToFloat(v);
        return fv > Float.intBitsToFloat(m) | fv != fv ? -1 : 0;
    }

    /** {@link #max} in float64 (the reference path): the same taps in the same order, with a plain branch. */
    static void max(double[] x, int xo, Plane g, double[] y, int yo, long[] idx, int io, double[] mx, int[] best) {
        Pooling.Params p = g.p();
        for (int oy = 0; oy < g.oh(); oy++) {
            int hs = g.rowStart(oy), h0 = Math.max(hs, 0), h1 = Math.min(hs + p.kernelH(), g.h());
            for (int ox = 0; ox < g.ow(); ox++) {
                mx[ox] = Double.NEGATIVE_INFINITY;
                best[ox] = h0 * g.w() + Math.max(ox * p.strideW() - p.padW(), 0);
            }
            for (int ih = h0; ih < h1; ih++) {
                int row = ih * g.w();
                for (int kx = 0; kx < p.kernelW(); kx++) {
                    int off = kx - p.padW();
                    for (int ox = g.lo(kx), hi = g.hi(kx); ox < hi; ox++) {
                        int at = row + ox * p.strideW() + off;
                        double v = x[xo + at];
                        if (v > mx[ox] || v != v) {
                            mx[ox] = v;
                            best[ox] = at;
                        }
                    }
                }
            }
            for (int ox = 0; ox < g.ow(); ox++) {
                y[yo + oy * g.ow() + ox] = mx[ox];
                idx[io + oy * g.ow() + ox] = best[ox];
            }
        }
    }

    /** Window sums (in double) divided by {@link Plane#divisor}; acc is a scratch row of length ow. */
    static void avg(float[] x, int xo, Plane g, float[] y, int yo, double[] acc) {
        Pooling.Params p = g.p();
        for (int oy = 0; oy < g.oh(); oy++) {
            int hs = g.rowStart(oy), h0 = Math.max(hs, 0), h1 = Math.min(hs + p.kernelH(), g.h());
            java.util.Arrays.fill(acc, 0, g.ow(), 0.0);
            for (int ih = h0; ih < h1; ih++) {
                int row = xo + ih * g.w();
                for (int kx = 0; kx < p.kernelW(); kx++) {
                    int off = row + kx - p.padW();
                    for (int ox = g.lo(kx), hi = g.hi(kx); ox < hi; ox++) acc[ox] += x[off + ox * p.strideW()];
                }
            }
            for (int ox = 0; ox < g.ow(); ox++) {
                int d = g.divisor(oy, ox);
                y[yo + oy * g.ow() + ox] = d == 0 ? 0f : (float) (acc[ox] / d);
            }
        }
    }

    static void avg(double[] x, int xo, Plane g, double[] y, int yo, double[] acc) {
        Pooling.Params p = g.p();
        for (int oy = 0; oy < g.oh(); oy++) {
            int hs = g.rowStart(oy), h0 = Math.max(hs, 0), h1 = Math.min(hs + p.kernelH(), g.h());
            java.util.Arrays.fill(acc, 0, g.ow(), 0.0);
            for (int ih = h0; ih < h1; ih++) {
                int row = xo + ih * g.w();
                for (int kx = 0; kx < p.kernelW(); kx++) {
                    int off = row + kx - p.padW();
                    for (int ox = g.lo(kx), hi = g.hi(kx); ox < hi; ox++) acc[ox] += x[off + ox * p.strideW()];
                }
            }
            for (int ox = 0; ox < g.ow(); ox++) {
                int d = g.divisor(oy, ox);
                y[yo + oy * g.ow() + ox] = d == 0 ? 0.0 : acc[ox] / d;
            }
        }
    }

    /** gx (zeroed here) receives gy / divisor over each window; share is a scratch row of length ow. */
    static void avgBackward(float[] gy, int go, Plane g, float[] gx, int xo, float[] share) {
        Pooling.Params p = g.p();
        java.util.Arrays.fill(gx, xo, xo + g.in(), 0f);
        for (int oy = 0; oy < g.oh(); oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                int d = g.divisor(oy, ox);
                share[ox] = d == 0 ? 0f : gy[go + oy * g.ow() + ox] / d;
            }
            int hs = g.rowStart(oy), h0 = Math.max(hs, 0), h1 = Math.min(hs + p.kernelH(), g.h());
            for (int ih = h0; ih < h1; ih++) {
                int row = xo + ih * g.w();
                for (int kx = 0; kx < p.kernelW(); kx++) {
                    int off = row + kx - p.padW();
                    for (int ox = g.lo(kx), hi = g.hi(kx); ox < hi; ox++) gx[off + ox * p.strideW()] += share[ox];
                }
            }
        }
    }

    static void avgBackward(double[] gy, int go, Plane g, double[] gx, int xo, double[] share) {
        Pooling.Params p = g.p();
        java.util.Arrays.fill(gx, xo, xo + g.in(), 0.0);
        for (int oy = 0; oy < g.oh(); oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                int d = g.divisor(oy, ox);
                share[ox] = d == 0 ? 0.0 : gy[go + oy * g.ow() + ox] / d;
            }
            int hs = g.rowStart(oy), h0 = Math.max(hs, 0), h1 = Math.min(hs + p.kernelH(), g.h());
            for (int ih = h0; ih < h1; ih++) {
                int row = xo + ih * g.w();
                for (int kx = 0; kx < p.kernelW(); kx++) {
                    int off = row + kx - p.padW();
                    for (int ox = g.lo(kx), hi = g.hi(kx); ox < hi; ox++) gx[off + ox * p.strideW()] += share[ox];
                }
            }
        }
    }
}

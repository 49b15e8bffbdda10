package dev.myelin.cpu;

/**
 * im2col and its adjoint col2im for one sample and one group of channels. The sample's block of the
 * column matrix is [channels * KH * KW, OH * OW], from column {@code co} of a matrix whose rows are
 * {@code ld} long (several samples side by side make one wider GEMM): row {@code (c * KH + kh) * KW
 * + kw}, column {@code co + oh * OW + ow} holds {@code x[c, oh * sH - pH + kh * dH, ow * sW - pW +
 * kw * dW]}, or 0 in the padding.
 */
final class ConvIm2col {
    private ConvIm2col() {}

    /** The geometry of one convolution: input plane, kernel, output plane and the conv parameters. */
    record Geometry(int h, int w, int kh, int kw, int oh, int ow, int strideH, int strideW, int padH, int padW,
                    int dilH, int dilW) {
        /** The output columns [lo, hi) whose input column {@code ow * strideW - padW + kx * dilW} lies in [0, w). */
        int owLo(int kx) {
            int off = kx * dilW - padW;
            return off >= 0 ? 0 : Math.min(ow, (-off + strideW - 1) / strideW);
        }

        int owHi(int kx) {
            int off = kx * dilW - padW;
            if (off >= w) return 0;
            return Math.max(owLo(kx), Math.min(ow, (w - 1 - off) / strideW + 1));
        }
    }

    static void im2col(Object x, int xo, int channels, Geometry g, Object cols, int co, int ld) {
        if (x instanceof float[] xf) {
            im2col(xf, xo, channels, g, (float[]) cols, co, ld);
        } else {
            im2col((double[]) x, xo, channels, g, (double[]) cols, co, ld);
        }
    }

    /** dx[xo ..] (channels planes, not zeroed here) += col2im(the sample's block of cols). */
    static void col2im(Object cols, int co, int ld, int channels, Geometry g, Object dx, int xo) {
        if (dx instanceof float[] xf) {
            col2im((float[]) cols, co, ld, channels, g, xf, xo);
        } else {
            col2im((double[]) cols, co, ld, channels, g, (double[]) dx, xo);
        }
    }

    private static void im2col(float[] x, int xo, int channels, Geometry g, float[] cols, int co, int ld) {
        int plane = g.h * g.w, row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    int lo = g.owLo(kx), hi = g.owHi(kx), iw0 = kx * g.dilW - g.padW;
                    for (int y = 0; y < g.oh; y++) {
                        int dst = co + row * ld + y * g.ow;
                        int ih = y * g.strideH - g.padH + ky * g.dilH;
                        if (ih < 0 || ih >= g.h) {
                            java.util.Arrays.fill(cols, dst, dst + g.ow, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(cols, dst, dst + lo, 0f);
                        java.util.Arrays.fill(cols, dst + hi, dst + g.ow, 0f);
                        int src = xo + c * plane + ih * g.w + iw0;
                        if (g.strideW == 1) {
                            System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++) cols[dst + ox] = x[src + ox * g.strideW];
                        }
                    }
                }
            }
        }
    }

    /** Float64, the reference path: the definition in the class comment, element by element. */
    private static void im2col(double[] x, int xo, int channels, Geometry g, double[] cols, int co, int ld) {
        int plane = g.h * g.w, row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    for (int y = 0; y < g.oh; y++) {
                        for (int ox = 0; ox < g.ow; ox++) {
                            int ih = y * g.strideH - g.padH + ky * g.dilH, iw = ox * g.strideW - g.padW + kx * g.dilW;
                            boolean inside = ih >= 0 && ih < g.h && iw >= 0 && iw < g.w;
                            cols[co + row * ld + y * g.ow + ox] = inside ? x[xo + c * plane + ih * g.w + iw] : 0.0;
                        }
                    }
                }
            }
        }
    }

    private static void col2im(float[] cols, int co, int ld, int channels, Geometry g, float[] dx, int xo) {
        int plane = g.h * g.w, row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    int lo = g.owLo(kx), hi = g.owHi(kx), iw0 = kx * g.dilW - g.padW;
                    for (int y = 0; y < g.oh; y++) {
                        int ih = y * g.strideH - g.padH + ky * g.dilH;
                        if (ih < 0 || ih >= g.h) continue;
                        int src = co + row * ld + y * g.ow, dst = xo + c * plane + ih * g.w + iw0;
                        for (int ox = lo; ox < hi; ox++) dx[dst + ox * g.strideW] += cols[src + ox];
                    }
                }
            }
        }
    }

    /** Float64, the reference path: each column element added back to the input element it was read from. */
    private static void col2im(double[] cols, int co, int ld, int channels, Geometry g, double[] dx, int xo) {
        int plane = g.h * g.w, row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < g.kh; ky++) {
                for (int kx = 0; kx < g.kw; kx++, row++) {
                    for (int y = 0; y < g.oh; y++) {
                        for (int ox = 0; ox < g.ow; ox++) {
                            int ih = y * g.strideH - g.padH + ky * g.dilH, iw = ox * g.strideW - g.padW + kx * g.dilW;
                            if (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w) {
                                dx[xo + c * plane + ih * g.w + iw] += cols[co + row * ld + y * g.ow + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}

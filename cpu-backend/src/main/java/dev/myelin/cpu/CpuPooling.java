package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Pooling;

/**
 * CPU kernels of the Pooling family, parallel over the N * C planes, with PyTorch's window rules:
 * a window starts at {@code o * stride - pad}; max pooling treats the padding as -inf and takes
 * NaN as the maximum; average pooling divides by the window clipped to the padded input
 * (count_include_pad) or to the input. Tensors are contiguous.
 */
final class CpuPooling implements Pooling {
    /** One plane's geometry: input h x w, output oh x ow. */
    private record Plane(int h, int w, int oh, int ow, Pooling.Params p) {
        static Plane of(Tensor x, Tensor y, Pooling.Params p) {
            return new Plane(x.size(-2), x.size(-1), y.size(-2), y.size(-1), p);
        }

        int in() {
            return h * w;
        }

        int out() {
            return oh * ow;
        }

        int planes(Tensor x) {
            return in() == 0 ? 0 : Math.toIntExact(x.numel() / in());
        }
    }

    @Override
    public void maxPool2d(Tensor x, Pooling.Params p, Tensor y, Tensor indices) {
        Plane g = Plane.of(x, y, p);
        long[] idx = CpuStorage.i64(indices);
        int xo = CpuStorage.off(x), yo = CpuStorage.off(y), io = CpuStorage.off(indices);
        Parallel.forRange(g.planes(x), (long) g.out() * p.kernelH() * p.kernelW(), (s, e) -> {
            for (int c = s; c < e; c++) {
                if (x.dtype() == DType.FLOAT32) {
                    maxPlane(CpuStorage.f32(x), xo + c * g.in(), g, CpuStorage.f32(y), yo + c * g.out(), idx, io + c * g.out());
                } else {
                    maxPlane(CpuStorage.f64(x), xo + c * g.in(), g, CpuStorage.f64(y), yo + c * g.out(), idx, io + c * g.out());
                }
            }
        });
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Tensor indices, Pooling.Params p, Tensor gradX) {
        Plane g = Plane.of(gradX, gradY, p);
        long[] idx = CpuStorage.i64(indices);
        int go = CpuStorage.off(gradY), io = CpuStorage.off(indices), xo = CpuStorage.off(gradX);
        Parallel.forRange(g.planes(gradX), g.in() + g.out(), (s, e) -> {
            for (int c = s; c < e; c++) {
                int dx = xo + c * g.in(), gy = go + c * g.out(), ix = io + c * g.out();
                if (gradX.dtype() == DType.FLOAT32) {
                    float[] gxa = CpuStorage.f32(gradX), gya = CpuStorage.f32(gradY);
                    java.util.Arrays.fill(gxa, dx, dx + g.in(), 0f);
                    for (int q = 0; q < g.out(); q++) gxa[dx + (int) idx[ix + q]] += gya[gy + q];
                } else {
                    double[] gxa = CpuStorage.f64(gradX), gya = CpuStorage.f64(gradY);
                    java.util.Arrays.fill(gxa, dx, dx + g.in(), 0.0);
                    for (int q = 0; q < g.out(); q++) gxa[dx + (int) idx[ix + q]] += gya[gy + q];
                }
            }
        });
    }

    @Override
    public void avgPool2d(Tensor x, Pooling.Params p, Tensor y) {
        Plane g = Plane.of(x, y, p);
        int xo = CpuStorage.off(x), yo = CpuStorage.off(y);
        Parallel.forRange(g.planes(x), (long) g.out() * p.kernelH() * p.kernelW(), (s, e) -> {
            for (int c = s; c < e; c++) {
                if (x.dtype() == DType.FLOAT32) {
                    avgPlane(CpuStorage.f32(x), xo + c * g.in(), g, CpuStorage.f32(y), yo + c * g.out());
                } else {
                    avgPlane(CpuStorage.f64(x), xo + c * g.in(), g, CpuStorage.f64(y), yo + c * g.out());
                }
            }
        });
    }

    @Override
    public void avgPool2dBackward(Tensor gradY, Pooling.Params p, Tensor gradX) {
        Plane g = Plane.of(gradX, gradY, p);
        int go = CpuStorage.off(gradY), xo = CpuStorage.off(gradX);
        Parallel.forRange(g.planes(gradX), (long) g.out() * p.kernelH() * p.kernelW(), (s, e) -> {
            for (int c = s; c < e; c++) {
                if (gradX.dtype() == DType.FLOAT32) {
                    avgPlaneBackward(CpuStorage.f32(gradY), go + c * g.out(), g, CpuStorage.f32(gradX), xo + c * g.in());
                } else {
                    avgPlaneBackward(CpuStorage.f64(gradY), go + c * g.out(), g, CpuStorage.f64(gradX), xo + c * g.in());
                }
            }
        });
    }

    // The window of output (oy, ox) covers input rows [oy * sH - pH, + kH) clipped to the input.

    private static void maxPlane(float[] x, int xo, Plane g, float[] y, int yo, long[] idx, int io) {
        Pooling.Params p = g.p();
        for (int oy = 0; oy < g.oh(); oy++) {
            int h0 = oy * p.strideH() - p.padH(), h1 = Math.min(h0 + p.kernelH(), g.h());
            h0 = Math.max(h0, 0);
            for (int ox = 0; ox < g.ow(); ox++) {
                int w0 = ox * p.strideW() - p.padW(), w1 = Math.min(w0 + p.kernelW(), g.w());
                w0 = Math.max(w0, 0);
                int best = h0 * g.w() + w0;
                float max = Float.NEGATIVE_INFINITY;
                for (int ih = h0; ih < h1; ih++) {
                    for (int iw = w0; iw < w1; iw++) {
                        float v = x[xo + ih * g.w() + iw];
                        // As PyTorch: a NaN wins (the last one in the window).
                        if (v > max || Float.isNaN(v)) {
                            max = v;
                            best = ih * g.w() + iw;
                        }
                    }
                }
                y[yo + oy * g.ow() + ox] = max;
                idx[io + oy * g.ow() + ox] = best;
            }
        }
    }

    private static void maxPlane(double[] x, int xo, Plane g, double[] y, int yo, long[] idx, int io) {
        Pooling.Params p = g.p();
        for (int oy = 0; oy < g.oh(); oy++) {
            int h0 = oy * p.strideH() - p.padH(), h1 = Math.min(h0 + p.kernelH(), g.h());
            h0 = Math.max(h0, 0);
            for (int ox = 0; ox < g.ow(); ox++) {
                int w0 = ox * p.strideW() - p.padW(), w1 = Math.min(w0 + p.kernelW(), g.w());
                w0 = Math.max(w0, 0);
                int best = h0 * g.w() + w0;
                double max = Double.NEGATIVE_INFINITY;
                for (int ih = h0; ih < h1; ih++) {
                    for (int iw = w0; iw < w1; iw++) {
                        double v = x[xo + ih * g.w() + iw];
                        if (v > max || Double.isNaN(v)) {
                            max = v;
                            best = ih * g.w() + iw;
                        }
                    }
                }
                y[yo + oy * g.ow() + ox] = max;
                idx[io + oy * g.ow() + ox] = best;
            }
        }
    }

    private static void avgPlane(float[] x, int xo, Plane g, float[] y, int yo) {
        for (int oy = 0; oy < g.oh(); oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                int[] win = window(g, oy, ox);
                double s = 0;
                for (int ih = win[0]; ih < win[1]; ih++) {
                    for (int iw = win[2]; iw < win[3]; iw++) s += x[xo + ih * g.w() + iw];
                }
                y[yo + oy * g.ow() + ox] = win[4] == 0 ? 0f : (float) (s / win[4]);
            }
        }
    }

    private static void avgPlane(double[] x, int xo, Plane g, double[] y, int yo) {
        for (int oy = 0; oy < g.oh(); oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                int[] win = window(g, oy, ox);
                double s = 0;
                for (int ih = win[0]; ih < win[1]; ih++) {
                    for (int iw = win[2]; iw < win[3]; iw++) s += x[xo + ih * g.w() + iw];
                }
                y[yo + oy * g.ow() + ox] = win[4] == 0 ? 0.0 : s / win[4];
            }
        }
    }

    private static void avgPlaneBackward(float[] gy, int go, Plane g, float[] gx, int xo) {
        java.util.Arrays.fill(gx, xo, xo + g.in(), 0f);
        for (int oy = 0; oy < g.oh(); oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                int[] win = window(g, oy, ox);
                if (win[4] == 0) continue;
                float v = gy[go + oy * g.ow() + ox] / win[4];
                for (int ih = win[0]; ih < win[1]; ih++) {
                    for (int iw = win[2]; iw < win[3]; iw++) gx[xo + ih * g.w() + iw] += v;
                }
            }
        }
    }

    private static void avgPlaneBackward(double[] gy, int go, Plane g, double[] gx, int xo) {
        java.util.Arrays.fill(gx, xo, xo + g.in(), 0.0);
        for (int oy = 0; oy < g.oh(); oy++) {
            for (int ox = 0; ox < g.ow(); ox++) {
                int[] win = window(g, oy, ox);
                if (win[4] == 0) continue;
                double v = gy[go + oy * g.ow() + ox] / win[4];
                for (int ih = win[0]; ih < win[1]; ih++) {
                    for (int iw = win[2]; iw < win[3]; iw++) gx[xo + ih * g.w() + iw] += v;
                }
            }
        }
    }

    /**
     * PyTorch's average-pool window: {h0, h1, w0, w1, divisor}, the bounds clipped to the input and
     * the divisor counting the window clipped to the padded input (count_include_pad) or the input.
     * A window entirely in the padding has divisor 0 and yields 0.
     */
    private static int[] window(Plane g, int oy, int ox) {
        Pooling.Params p = g.p();
        int h0 = oy * p.strideH() - p.padH(), w0 = ox * p.strideW() - p.padW();
        int h1 = Math.min(h0 + p.kernelH(), g.h() + p.padH()), w1 = Math.min(w0 + p.kernelW(), g.w() + p.padW());
        int padded = (h1 - h0) * (w1 - w0);
        h0 = Math.max(h0, 0);
        w0 = Math.max(w0, 0);
        h1 = Math.min(h1, g.h());
        w1 = Math.min(w1, g.w());
        if (h0 >= h1 || w0 >= w1) return new int[] {h0, h0, w0, w0, 0};
        return new int[] {h0, h1, w0, w1, p.countIncludePad() ? padded : (h1 - h0) * (w1 - w0)};
    }
}

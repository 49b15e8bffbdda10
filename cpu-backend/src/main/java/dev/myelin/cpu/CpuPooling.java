package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Pooling;

/**
 * CPU kernels of the Pooling family, parallel over the N * C planes ({@link PoolRows} does one
 * plane), with PyTorch's window rules: a window starts at {@code o * stride - pad}; max pooling
 * treats the padding as -inf and takes NaN as the maximum; average pooling divides by the window
 * clipped to the padded input (count_include_pad) or to the input. Tensors are contiguous.
 */
final class CpuPooling implements Pooling {
    private static PoolRows.Plane plane(Tensor x, Tensor y, Pooling.Params p) {
        return new PoolRows.Plane(x.size(-2), x.size(-1), y.size(-2), y.size(-1), p);
    }

    private static int planes(Tensor x, PoolRows.Plane g) {
        return g.in() == 0 ? 0 : Math.toIntExact(x.numel() / g.in());
    }

    @Override
    public void maxPool2d(Tensor x, Pooling.Params p, Tensor y, Tensor indices) {
        PoolRows.Plane g = plane(x, y, p);
        long[] idx = CpuStorage.i64(indices);
        int xo = CpuStorage.off(x), yo = CpuStorage.off(y), io = CpuStorage.off(indices);
        boolean f32 = x.dtype() == DType.FLOAT32;
        Parallel.forRange(planes(x, g), (long) g.out() * p.kernelH() * p.kernelW(), (s, e) -> {
            int[] best = new int[g.ow()];
            float[] mxF = f32 ? new float[g.ow()] : null;
            double[] mxD = f32 ? null : new double[g.ow()];
            for (int c = s; c < e; c++) {
                if (f32) {
                    PoolRows.max(CpuStorage.f32(x), xo + c * g.in(), g, CpuStorage.f32(y), yo + c * g.out(), idx,
                            io + c * g.out(), mxF, best);
                } else {
                    PoolRows.max(CpuStorage.f64(x), xo + c * g.in(), g, CpuStorage.f64(y), yo + c * g.out(), idx,
                            io + c * g.out(), mxD, best);
                }
            }
        });
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Tensor indices, Pooling.Params p, Tensor gradX) {
        PoolRows.Plane g = plane(gradX, gradY, p);
        long[] idx = CpuStorage.i64(indices);
        int go = CpuStorage.off(gradY), io = CpuStorage.off(indices), xo = CpuStorage.off(gradX);
        Parallel.forRange(planes(gradX, g), g.in() + g.out(), (s, e) -> {
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
        PoolRows.Plane g = plane(x, y, p);
        int xo = CpuStorage.off(x), yo = CpuStorage.off(y);
        Parallel.forRange(planes(x, g), (long) g.out() * p.kernelH() * p.kernelW(), (s, e) -> {
            double[] acc = new double[g.ow()];
            for (int c = s; c < e; c++) {
                if (x.dtype() == DType.FLOAT32) {
                    PoolRows.avg(CpuStorage.f32(x), xo + c * g.in(), g, CpuStorage.f32(y), yo + c * g.out(), acc);
                } else {
                    PoolRows.avg(CpuStorage.f64(x), xo + c * g.in(), g, CpuStorage.f64(y), yo + c * g.out(), acc);
                }
            }
        });
    }

    @Override
    public void avgPool2dBackward(Tensor gradY, Pooling.Params p, Tensor gradX) {
        PoolRows.Plane g = plane(gradX, gradY, p);
        int go = CpuStorage.off(gradY), xo = CpuStorage.off(gradX);
        boolean f32 = gradX.dtype() == DType.FLOAT32;
        Parallel.forRange(planes(gradX, g), (long) g.out() * p.kernelH() * p.kernelW(), (s, e) -> {
            float[] shareF = f32 ? new float[g.ow()] : null;
            double[] shareD = f32 ? null : new double[g.ow()];
            for (int c = s; c < e; c++) {
                if (f32) {
                    PoolRows.avgBackward(CpuStorage.f32(gradY), go + c * g.out(), g, CpuStorage.f32(gradX),
                            xo + c * g.in(), shareF);
                } else {
                    PoolRows.avgBackward(CpuStorage.f64(gradY), go + c * g.out(), g, CpuStorage.f64(gradX),
                            xo + c * g.in(), shareD);
                }
            }
        });
    }
}

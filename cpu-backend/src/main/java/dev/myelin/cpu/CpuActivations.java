package dev.myelin.cpu;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Activations;

/**
 * CPU kernels of the Activations family: float32 through {@link ActivationFloat} (vector lanes),
 * float64 through {@link ActivationMath} (PyTorch's formulas in double), softmax through
 * {@link SoftmaxKernel}; large tensors split over the backend's threads.
 */
final class CpuActivations implements Activations {
    @Override
    public void forward(Kind kind, double param, Tensor x, Tensor y) {
        String op = name(kind);
        requireContiguous(op, x, y);
        int n = Math.toIntExact(x.numel()), xo = CpuStorage.off(x), yo = CpuStorage.off(y);
        long cost = kind.cost();
        switch (Strided.array(x)) {
            case float[] xf -> {
                float[] yf = CpuStorage.f32(y);
                float p = (float) param;
                Parallel.forRange(n, cost, (s, e) -> ActivationFloat.forward(kind, p, xf, xo + s, yf, yo + s, e - s));
            }
            case double[] xd -> {
                double[] yd = CpuStorage.f64(y);
                Parallel.forRange(n, cost, (s, e) -> {
                    for (int i = s; i < e; i++) yd[yo + i] = ActivationMath.forward(kind, param, xd[xo + i]);
                });
            }
            default -> throw notFloating(op, x);
        }
    }

    @Override
    public void backward(Kind kind, double param, Tensor x, Tensor y, Tensor gradY, Tensor gradX) {
        String op = name(kind) + "_backward";
        requireContiguous(op, x, y, gradY, gradX);
        int n = Math.toIntExact(x.numel());
        int xo = CpuStorage.off(x), yo = CpuStorage.off(y), go = CpuStorage.off(gradY), gxo = CpuStorage.off(gradX);
        long cost = kind.cost();
        switch (Strided.array(x)) {
            case float[] xf -> {
                float[] yf = CpuStorage.f32(y), g = CpuStorage.f32(gradY), gx = CpuStorage.f32(gradX);
                float p = (float) param;
                Parallel.forRange(n, cost, (s, e) ->
                        ActivationFloat.backward(kind, p, xf, xo + s, yf, yo + s, g, go + s, gx, gxo + s, e - s));
            }
            case double[] xd -> {
                double[] yd = CpuStorage.f64(y), g = CpuStorage.f64(gradY), gx = CpuStorage.f64(gradX);
                Parallel.forRange(n, cost, (s, e) -> {
                    for (int i = s; i < e; i++) {
                        gx[gxo + i] = ActivationMath.backward(kind, param, xd[xo + i], yd[yo + i], g[go + i]);
                    }
                });
            }
            default -> throw notFloating(op, x);
        }
    }

    @Override
    public void forwardWithDerivative(Kind kind, double param, Tensor x, Tensor y, Tensor dydx) {
        String op = name(kind);
        requireContiguous(op, x, y, dydx);
        int n = Math.toIntExact(x.numel()), xo = CpuStorage.off(x), yo = CpuStorage.off(y), dyo = CpuStorage.off(dydx);
        long cost = kind.cost();
        switch (Strided.array(x)) {
            case float[] xf -> {
                float[] yf = CpuStorage.f32(y), d = CpuStorage.f32(dydx);
                float p = (float) param;
                Parallel.forRange(n, cost, (s, e) ->
                        ActivationFloat.forwardWithDerivative(kind, p, xf, xo + s, yf, yo + s, d, dyo + s, e - s));
            }
            case double[] xd -> {
                double[] yd = CpuStorage.f64(y), d = CpuStorage.f64(dydx);
                Parallel.forRange(n, cost, (s, e) -> {
                    for (int i = s; i < e; i++) {
                        yd[yo + i] = ActivationMath.forward(kind, param, xd[xo + i]);
                        d[dyo + i] = ActivationMath.backward(kind, param, xd[xo + i], yd[yo + i], 1);
                    }
                });
            }
            default -> throw notFloating(op, x);
        }
    }

    @Override
    public void biasForward(Kind kind, double param, Tensor x, Tensor bias, Tensor y) {
        BiasActivation.forward(kind, param, x, bias, y, kind.cost());
    }

    @Override
    public void biasBackward(Kind kind, double param, Tensor x, Tensor bias, Tensor y, Tensor gradY, Tensor gradX) {
        BiasActivation.backward(kind, param, x, bias, y, gradY, gradX, kind.cost());
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor y) {
        String op = log ? "log_softmax" : "softmax";
        requireContiguous(op, x, y);
        SoftmaxKernel k = kernel(x.shape(), dim);
        switch (Strided.array(x)) {
            case float[] xf -> k.forward(xf, CpuStorage.off(x), CpuStorage.f32(y), CpuStorage.off(y), log);
            case double[] xd -> k.forward(xd, CpuStorage.off(x), CpuStorage.f64(y), CpuStorage.off(y), log);
            default -> throw notFloating(op, x);
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gradY, int dim, boolean log, Tensor gradX) {
        String op = log ? "log_softmax_backward" : "softmax_backward";
        requireContiguous(op, y, gradY, gradX);
        SoftmaxKernel k = kernel(y.shape(), dim);
        int yo = CpuStorage.off(y), go = CpuStorage.off(gradY), gxo = CpuStorage.off(gradX);
        switch (Strided.array(y)) {
            case float[] yf -> k.backward(yf, yo, CpuStorage.f32(gradY), go, CpuStorage.f32(gradX), gxo, log);
            case double[] yd -> k.backward(yd, yo, CpuStorage.f64(gradY), go, CpuStorage.f64(gradX), gxo, log);
            default -> throw notFloating(op, y);
        }
    }

    /** x viewed as [outer, shape[dim], inner]. */
    private static SoftmaxKernel kernel(int[] shape, int dim) {
        int outer = 1, inner = 1;
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        return new SoftmaxKernel(outer, shape.length == 0 ? 1 : shape[dim], inner);
    }

    private static String name(Kind kind) {
        return kind.name().toLowerCase();
    }

    private static void requireContiguous(String op, Tensor... tensors) {
        for (Tensor t : tensors) {
            if (!t.isContiguous() && t.numel() > 0) {
                throw new IllegalArgumentException(op + ": the CPU kernel needs contiguous tensors, got shape "
                        + Shape.str(t.shape()) + " with strides " + java.util.Arrays.toString(t.strides()));
            }
        }
    }

    private static IllegalArgumentException notFloating(String op, Tensor t) {
        return new IllegalArgumentException(op + ": expects float32 or float64, got " + t.dtype() + " with shape "
                + Shape.str(t.shape()));
    }
}

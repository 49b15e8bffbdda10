package dev.myelin.cpu;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.backend.Elementwise.Binary;

/**
 * The fused bias + activation of {@link CpuActivations}. Each thread's block of rows gets the sums
 * {@code x + bias} in float (or double) lanes, as the add kernel forms them, written where the
 * result goes (y, or gradX in the backward), and the plain activation kernel then runs over the
 * block in place while it is still in cache. So the results are bit for bit those of an add
 * followed by the activation, without the intermediate tensor.
 */
final class BiasActivation {
    private BiasActivation() {}

    static void forward(Kind kind, double param, Tensor x, Tensor bias, Tensor y, long cost) {
        String op = "bias_" + kind.name().toLowerCase();
        int c = columns(op, x, bias, new String[] {"y"}, y), rows = rows(x, c);
        int xo = CpuStorage.off(x), bo = CpuStorage.off(bias), yo = CpuStorage.off(y);
        switch (Strided.array(x)) {
            case float[] xf -> {
                float[] bf = CpuStorage.f32(bias), yf = CpuStorage.f32(y);
                float p = (float) param;
                Parallel.forRange(rows, cost * c, (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        VecFloat.binary(Binary.ADD, xf, xo + r * c, 1, bf, bo, 1, yf, yo + r * c, c);
                    }
                    ActivationFloat.forward(kind, p, yf, yo + r0 * c, yf, yo + r0 * c, (r1 - r0) * c);
                });
            }
            case double[] xd -> {
                double[] bd = CpuStorage.f64(bias), yd = CpuStorage.f64(y);
                Parallel.forRange(rows, cost * c, (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        for (int j = 0, row = r * c; j < c; j++) {
                            yd[yo + row + j] = ActivationMath.forward(kind, param, xd[xo + row + j] + bd[bo + j]);
                        }
                    }
                });
            }
            default -> throw new IllegalArgumentException(op + ": expects float32 or float64, got " + x.dtype());
        }
    }

    static void backward(Kind kind, double param, Tensor x, Tensor bias, Tensor y, Tensor gradY, Tensor gradX,
                         long cost) {
        String op = "bias_" + kind.name().toLowerCase() + "_backward";
        int c = columns(op, x, bias, new String[] {"y", "gradY", "gradX"}, y, gradY, gradX), rows = rows(x, c);
        int xo = CpuStorage.off(x), bo = CpuStorage.off(bias), yo = CpuStorage.off(y);
        int go = CpuStorage.off(gradY), gxo = CpuStorage.off(gradX);
        switch (Strided.array(x)) {
            case float[] xf -> {
                float[] bf = CpuStorage.f32(bias), yf = CpuStorage.f32(y);
                float[] g = CpuStorage.f32(gradY), gx = CpuStorage.f32(gradX);
                float p = (float) param;
                Parallel.forRange(rows, cost * c, (r0, r1) -> {
                    // The sums go into gradX, which the backward then overwrites element by element.
                    for (int r = r0; r < r1; r++) {
                        VecFloat.binary(Binary.ADD, xf, xo + r * c, 1, bf, bo, 1, gx, gxo + r * c, c);
                    }
                    int at = r0 * c;
                    ActivationFloat.backward(kind, p, gx, gxo + at, yf, yo + at, g, go + at, gx, gxo + at,
                            (r1 - r0) * c);
                });
            }
            case double[] xd -> {
                double[] bd = CpuStorage.f64(bias), yd = CpuStorage.f64(y);
                double[] g = CpuStorage.f64(gradY), gx = CpuStorage.f64(gradX);
                Parallel.forRange(rows, cost * c, (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        for (int j = 0, row = r * c; j < c; j++) {
                            gx[gxo + row + j] = ActivationMath.backward(kind, param, xd[xo + row + j] + bd[bo + j],
                                    yd[yo + row + j], g[go + row + j]);
                        }
                    }
                });
            }
            default -> throw new IllegalArgumentException(op + ": expects float32 or float64, got " + x.dtype());
        }
    }

    /** C, the bias length, after checking that the named tensors are contiguous, of x's dtype and x's size. */
    private static int columns(String op, Tensor x, Tensor bias, String[] names, Tensor... same) {
        if (bias.dim() != 1 || (bias.size(0) == 0 ? x.numel() != 0 : x.numel() % bias.size(0) != 0)) {
            throw new IllegalArgumentException(op + ": bias " + Shape.str(bias.shape()) + " does not divide x "
                    + Shape.str(x.shape()) + " into rows");
        }
        requireContiguous(op, "x", x);
        requireContiguous(op, "bias", bias);
        for (int i = 0; i < same.length; i++) {
            Tensor t = same[i];
            requireContiguous(op, names[i], t);
            if (t.numel() != x.numel() || t.dtype() != x.dtype()) {
                throw new IllegalArgumentException(op + ": " + names[i] + " " + t.dtype() + Shape.str(t.shape())
                        + " does not match x " + x.dtype() + Shape.str(x.shape()));
            }
        }
        if (bias.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": bias is " + bias.dtype() + ", x is " + x.dtype());
        }
        return bias.size(0);
    }

    private static int rows(Tensor x, int c) {
        return c == 0 ? 0 : Math.toIntExact(x.numel() / c);
    }

    private static void requireContiguous(String op, String arg, Tensor t) {
        if (!t.isContiguous() && t.numel() > 0) {
            throw new IllegalArgumentException(op + ": the CPU kernel needs a contiguous " + arg + ", got shape "
                    + Shape.str(t.shape()) + " with strides " + java.util.Arrays.toString(t.strides()));
        }
    }
}

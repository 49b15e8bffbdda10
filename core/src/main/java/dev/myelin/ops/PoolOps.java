package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.backend.Pooling;

import static dev.myelin.autograd.Autograd.NOTHING_SAVED;

/**
 * 2-D max and average pooling on the Pooling kernels, with their gradients. x is [N, C, H, W] or
 * unbatched [C, H, W]; kernel, stride and padding are {h, w} (or one value for both). Output size
 * per dimension, as PyTorch: {@code floor((H + 2 pad - k) / stride) + 1}, or with ceil_mode the
 * ceiling, less one when the last window would start beyond the input and its left padding.
 */
public final class PoolOps {
    private PoolOps() {}

    /**
     * torch.nn.functional.max_pool2d; stride null means stride = kernel (PyTorch's default). Padding counts as -inf.
     */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
        Pooling.Params p = params("max_pool2d", x, kernel, stride, padding, ceilMode, true);
        boolean unbatched = x.dim() == 3;
        Tensor x4 = unbatched ? x.unsqueeze(0) : x;
        int[] outShape = outShape(x4, p);
        Tensor y = Tensor.empty(x.backend(), x.dtype(), outShape);
        Tensor indices = Tensor.empty(x.backend(), DType.INT64, outShape);
        x.backend().pooling().maxPool2d(x4.contiguous(), p, y, indices);
        int[] xs = x4.shape();
        // The backward reads only the argmax indices, which are the op's own.
        y = Autograd.record("max_pool2d", y, new Tensor[] {x4}, NOTHING_SAVED, g -> {
            Tensor gx = Tensor.empty(g.backend(), g.dtype(), xs);
            g.backend().pooling().maxPool2dBackward(g.contiguous(), indices, p, gx);
            return new Tensor[] {gx};
        });
        return unbatched ? y.squeeze(0) : y;
    }

    /**
     * torch.nn.functional.avg_pool2d; stride null means stride = kernel. The divisor is the window
     * clipped to the padded input when {@code countIncludePad}, else to the input itself.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        Pooling.Params p = params("avg_pool2d", x, kernel, stride, padding, ceilMode, countIncludePad);
        boolean unbatched = x.dim() == 3;
        Tensor x4 = unbatched ? x.unsqueeze(0) : x;
        Tensor y = Tensor.empty(x.backend(), x.dtype(), outShape(x4, p));
        x.backend().pooling().avgPool2d(x4.contiguous(), p, y);
        int[] xs = x4.shape();
        y = Autograd.record("avg_pool2d", y, new Tensor[] {x4}, NOTHING_SAVED, g -> {
            Tensor gx = Tensor.empty(g.backend(), g.dtype(), xs);
            g.backend().pooling().avgPool2dBackward(g.contiguous(), p, gx);
            return new Tensor[] {gx};
        });
        return unbatched ? y.squeeze(0) : y;
    }

    private static int[] outShape(Tensor x4, Pooling.Params p) {
        int[] s = x4.shape();
        return new int[] {s[0], s[1], outSize(s[2], p.kernelH(), p.padH(), p.strideH(), p.ceilMode()),
            outSize(s[3], p.kernelW(), p.padW(), p.strideW(), p.ceilMode())};
    }

    /** PyTorch's pooling_output_shape (dilation 1). */
    static int outSize(int in, int k, int pad, int stride, boolean ceilMode) {
        int out = Math.floorDiv(in + 2 * pad - k + (ceilMode ? stride - 1 : 0), stride) + 1;
        // The last window must start inside the input or its left padding.
        if (ceilMode && (out - 1) * stride >= in + pad) out--;
        return out;
    }

    private static Pooling.Params params(String op, Tensor x, int[] kernel, int[] stride, int[] padding,
                                         boolean ceilMode, boolean countIncludePad) {
        if (x == null) throw new IllegalArgumentException(op + ": input must not be null");
        ElementwiseOps.requireFloating(op, "input", x);
        int[] xs = x.shape();
        if ((x.dim() != 3 && x.dim() != 4) || xs[x.dim() - 3] == 0 || xs[x.dim() - 2] == 0 || xs[x.dim() - 1] == 0) {
            throw new IllegalArgumentException(op
                    + ": expected 3-D or 4-D input (batch dimension optional) with non-zero "
                    + "channels, height and width, got input of shape " + Shape.str(xs));
        }
        int[] k = ConvOps.pair(op, "kernel_size", kernel);
        int[] s = stride == null || stride.length == 0 ? k : ConvOps.pair(op, "stride", stride);
        int[] pad = ConvOps.pair(op, "padding", padding);
        if (k[0] <= 0 || k[1] <= 0) {
            throw new IllegalArgumentException(op + ": kernel_size must be greater than zero, got " + Shape.str(k));
        }
        if (s[0] <= 0 || s[1] <= 0) {
            throw new IllegalArgumentException(op + ": stride must be greater than zero, got " + Shape.str(s));
        }
        if (pad[0] < 0 || pad[1] < 0 || pad[0] > k[0] / 2 || pad[1] > k[1] / 2) {
            throw new IllegalArgumentException(op
                    + ": padding must be non-negative and at most half of kernel_size, got "
                    + "padding " + Shape.str(pad) + " with kernel_size " + Shape.str(k));
        }
        int h = xs[x.dim() - 2], w = xs[x.dim() - 1];
        int oh = outSize(h, k[0], pad[0], s[0], ceilMode), ow = outSize(w, k[1], pad[1], s[1], ceilMode);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": given input of shape " + Shape.str(xs) + ", kernel_size "
                    + Shape.str(k) + ", stride " + Shape.str(s) + " and padding " + Shape.str(pad)
                    + ", the calculated output size (" + oh + " x " + ow + ") is too small");
        }
        return new Pooling.Params(k[0], k[1], s[0], s[1], pad[0], pad[1], ceilMode, countIncludePad);
    }
}

package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.backend.Conv;

/** conv2d on the Conv kernels, with its gradients for input, weight and bias. */
public final class ConvOps {
    private ConvOps() {}

    /**
     * torch.nn.functional.conv2d (cross-correlation). x [N, C, H, W] or unbatched [C, H, W];
     * weight [O, C / groups, KH, KW]; bias [O] or null. stride, padding and dilation are {h, w}
     * (or one value for both). Returns [N, O, OH, OW] (or [O, OH, OW]) with
     * {@code OH = (H + 2 padH - dilH (KH - 1) - 1) / strideH + 1}.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        Conv.Params p = params(x, weight, bias, stride, padding, dilation, groups);
        boolean unbatched = x.dim() == 3;
        Tensor x4 = unbatched ? x.unsqueeze(0) : x;
        int[] xs = x4.shape(), ws = weight.shape();
        int oh = (xs[2] + 2 * p.padH() - p.dilationH() * (ws[2] - 1) - 1) / p.strideH() + 1;
        int ow = (xs[3] + 2 * p.padW() - p.dilationW() * (ws[3] - 1) - 1) / p.strideW() + 1;
        Tensor xc = x4.contiguous(), wc = weight.contiguous(), bc = bias == null ? null : bias.contiguous();
        Tensor y = Tensor.empty(x.backend(), x.dtype(), xs[0], ws[0], oh, ow);
        x.backend().conv().conv2d(xc, wc, bc, p, y);
        // The data gradient reads the weight; the filter gradient reads the input.
        Tensor[] saved = {weight.requiresGrad() ? x4 : null, x4.requiresGrad() ? weight : null};
        y = Autograd.record("conv2d", y, new Tensor[] {x4, weight, bias}, saved, g -> {
            Tensor gc = g.contiguous();
            Tensor gx = null, gw = null;
            if (x4.requiresGrad()) {
                gx = Tensor.empty(g.backend(), g.dtype(), xs);
                g.backend().conv().conv2dBackwardData(gc, wc, p, gx);
            }
            if (weight.requiresGrad()) {
                gw = Tensor.empty(g.backend(), g.dtype(), ws);
                g.backend().conv().conv2dBackwardFilter(gc, xc, p, gw);
            }
            Tensor gb = bias != null && bias.requiresGrad() ? g.sum(new int[] {0, 2, 3}, false) : null;
            return new Tensor[] {gx, gw, gb};
        });
        return unbatched ? y.squeeze(0) : y;
    }

    /** Validates conv2d's arguments as PyTorch does and returns the kernel parameters. */
    private static Conv.Params params(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                      int[] dilation, int groups) {
        if (x == null || weight == null) {
            throw new IllegalArgumentException("conv2d: input and weight must not be null");
        }
        ElementwiseOps.sameBackend("conv2d", x, weight);
        ElementwiseOps.requireFloating("conv2d", "input", x);
        ElementwiseOps.requireFloating("conv2d", "weight", weight);
        if (x.dtype() != weight.dtype()) {
            throw new IllegalArgumentException("conv2d: input (" + x.dtype() + ", " + Shape.str(x.shape())
                    + ") and weight (" + weight.dtype() + ", " + Shape.str(weight.shape())
                    + ") must have the same dtype");
        }
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected 3-D (unbatched) or 4-D (batched) input, got input of "
                    + "shape " + Shape.str(x.shape()));
        }
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("conv2d: weight must be 4-D [out_channels, in_channels / groups, kH, "
                    + "kW], got " + Shape.str(weight.shape()));
        }
        int[] s = pair("conv2d", "stride", stride), pad = pair("conv2d", "padding", padding);
        int[] d = pair("conv2d", "dilation", dilation);
        if (s[0] <= 0 || s[1] <= 0) {
            throw new IllegalArgumentException("conv2d: non-positive stride is not supported, got stride "
                    + Shape.str(s));
        }
        if (pad[0] < 0 || pad[1] < 0) {
            throw new IllegalArgumentException("conv2d: negative padding is not supported, got padding "
                    + Shape.str(pad));
        }
        if (d[0] <= 0 || d[1] <= 0) {
            throw new IllegalArgumentException("conv2d: dilation must be positive, got dilation " + Shape.str(d));
        }
        if (groups <= 0) throw new IllegalArgumentException("conv2d: groups must be positive, got " + groups);
        int[] ws = weight.shape(), xs = x.shape();
        int c = xs[xs.length - 3], h = xs[xs.length - 2], w = xs[xs.length - 1];
        if (ws[0] % groups != 0) {
            throw new IllegalArgumentException("conv2d: given groups=" + groups + ", weight of shape " + Shape.str(ws)
                    + " must have out_channels (dim 0) divisible by groups");
        }
        if (ws[1] * groups != c) {
            throw new IllegalArgumentException("conv2d: given groups=" + groups + ", weight of shape " + Shape.str(ws)
                    + " expects input " + Shape.str(xs) + " to have " + ws[1] * groups + " channels, but got " + c
                    + " channels instead");
        }
        if (bias != null) {
            ElementwiseOps.sameBackend("conv2d", x, bias);
            if (bias.dim() != 1 || bias.size(0) != ws[0] || bias.dtype() != x.dtype()) {
                throw new IllegalArgumentException("conv2d: bias " + Shape.str(bias.shape()) + " (" + bias.dtype()
                        + ") must be 1-D with " + ws[0] + " elements (out_channels of weight " + Shape.str(ws)
                        + ") and dtype " + x.dtype());
            }
        }
        if (ws[2] == 0 || ws[3] == 0) {
            throw new IllegalArgumentException("conv2d: weight " + Shape.str(ws) + " has an empty kernel");
        }
        int kh = d[0] * (ws[2] - 1) + 1, kw = d[1] * (ws[3] - 1) + 1;
        if (h + 2 * pad[0] < kh || w + 2 * pad[1] < kw) {
            throw new IllegalArgumentException("conv2d: calculated padded input size per channel (" + (h + 2 * pad[0])
                    + " x " + (w + 2 * pad[1]) + ") is smaller than the (dilated) kernel size (" + kh + " x " + kw
                    + "); input " + Shape.str(xs) + ", weight " + Shape.str(ws) + ", padding " + Shape.str(pad)
                    + ", dilation " + Shape.str(d));
        }
        return new Conv.Params(s[0], s[1], pad[0], pad[1], d[0], d[1], groups);
    }

    /** An {h, w} argument given as one value for both or as two values. */
    static int[] pair(String op, String arg, int[] v) {
        if (v == null || (v.length != 1 && v.length != 2)) {
            throw new IllegalArgumentException(op + ": " + arg + " must be one int or {h, w}, got "
                    + (v == null ? "null" : java.util.Arrays.toString(v)));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }
}

package dev.myelin.ops;

import dev.myelin.Tensor;

/** conv2d on the Conv kernels. */
public final class ConvOps {
    private ConvOps() {}

    /** stride, padding and dilation are {h, w}; x [N, C, H, W] (or [C, H, W]); weight [O, C/groups, KH, KW]. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        throw new UnsupportedOperationException("conv2d: not implemented yet");
    }
}

package dev.myelin.ops;

import dev.myelin.Tensor;

/** 2-D max and average pooling on the Pooling kernels. */
public final class PoolOps {
    private PoolOps() {}

    /** kernel, stride, padding are {h, w}; stride null means stride = kernel (PyTorch's default). */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
        throw new UnsupportedOperationException("max_pool2d: not implemented yet");
    }

    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        throw new UnsupportedOperationException("avg_pool2d: not implemented yet");
    }
}

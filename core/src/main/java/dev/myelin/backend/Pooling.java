package dev.myelin.backend;

import dev.myelin.Tensor;

/** 2-D pooling on x [N, C, H, W] into y [N, C, OH, OW], with PyTorch's output-size rules. */
public interface Pooling {
    record Params(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                  boolean ceilMode, boolean countIncludePad) {}

    /** Max pooling; {@code indices} (int64, y's shape) receive the argmax's flat index h * W + w in its plane. */
    void maxPool2d(Tensor x, Params p, Tensor y, Tensor indices);

    /** gradX (zeroed by the kernel) receives gradY at the saved indices, summed where windows overlap. */
    void maxPool2dBackward(Tensor gradY, Tensor indices, Params p, Tensor gradX);

    void avgPool2d(Tensor x, Params p, Tensor y);

    void avgPool2dBackward(Tensor gradY, Params p, Tensor gradX);
}

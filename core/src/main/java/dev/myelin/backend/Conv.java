package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * 2-D convolution (cross-correlation, as PyTorch). x [N, C, H, W], weight [O, C / groups, KH, KW],
 * y [N, O, OH, OW] with {@code OH = (H + 2 padH - dilH (KH - 1) - 1) / strideH + 1}.
 */
public interface Conv {
    record Params(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {}

    /** bias [O] or null. */
    void conv2d(Tensor x, Tensor weight, Tensor bias, Params p, Tensor y);

    void conv2dBackwardData(Tensor gradY, Tensor weight, Params p, Tensor gradX);

    void conv2dBackwardFilter(Tensor gradY, Tensor x, Params p, Tensor gradWeight);
}

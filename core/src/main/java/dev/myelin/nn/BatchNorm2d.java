package dev.myelin.nn;

import dev.myelin.DType;

/** Batch normalization of [N, C, H, W] input (torch.nn.BatchNorm2d); see {@link BatchNorm}. */
public final class BatchNorm2d extends BatchNorm {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics: PyTorch's defaults. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true, DType.FLOAT32);
    }

    /** momentum null selects the cumulative moving average. */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        super("BatchNorm2d", numFeatures, eps, momentum, affine, trackRunningStats, dtype);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 4;
    }

    @Override
    String expectedRank() {
        return "4D";
    }
}

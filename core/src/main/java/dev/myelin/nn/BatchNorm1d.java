package dev.myelin.nn;

import dev.myelin.DType;

/** Batch normalization of [N, C] or [N, C, L] input (torch.nn.BatchNorm1d); see {@link BatchNorm}. */
public final class BatchNorm1d extends BatchNorm {
    /** eps 1e-5, momentum 0.1, affine, tracking running statistics: PyTorch's defaults. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true, DType.FLOAT32);
    }

    /** momentum null selects the cumulative moving average. */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        super("BatchNorm1d", numFeatures, eps, momentum, affine, trackRunningStats, dtype);
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank == 2 || rank == 3;
    }

    @Override
    String expectedRank() {
        return "2D or 3D";
    }
}

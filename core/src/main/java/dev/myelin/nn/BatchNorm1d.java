package dev.myelin.nn;

import dev.myelin.DType;

/** Batch normalization of [N, C] or [N, C, L] input (torch.nn.BatchNorm1d); see {@link BatchNorm}. */
public final class BatchNorm1d extends BatchNorm {
    /**
     * PyTorch's defaults ({@link BatchNorm#options()}): eps 1e-5, momentum 0.1, affine, tracking running statistics.
     */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, options());
    }

    /** With options, e.g. {@code new BatchNorm1d(64, BatchNorm.options().momentum(null))}. */
    public BatchNorm1d(int numFeatures, Options options) {
        super("BatchNorm1d", numFeatures, options.eps(), options.momentum(), options.affine(),
                options.trackRunningStats(), options.dtype());
    }

    /**
     * @deprecated positional booleans; use {@link #BatchNorm1d(int, Options)}:
     *     {@code options().eps(eps).momentum(momentum).affine(affine).trackRunningStats(track).dtype(dtype)}
     */
    @Deprecated
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
            DType dtype) {
        this(numFeatures, new Options(eps, momentum, affine, trackRunningStats, dtype));
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

package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.ops.Checks;

/**
 * Batch normalization over channel dimension 1, shared by {@link BatchNorm1d} and
 * {@link BatchNorm2d} (torch.nn.BatchNorm*d): biased batch variance to normalize, unbiased to
 * update running_var, {@code momentum} (0.1) or, when it is null, a cumulative average over the
 * batches seen (momentum = 1 / num_batches_tracked); eval mode uses the running statistics unless
 * track_running_stats is off. Buffers: running_mean, running_var, num_batches_tracked (int64).
 * The keyword arguments are {@link Options}, e.g.
 * {@code new BatchNorm2d(64, BatchNorm.options().momentum(null).affine(false))}.
 */
public abstract sealed class BatchNorm extends Module permits BatchNorm1d, BatchNorm2d, SyncBatchNorm {
    private final String name;
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    public final Tensor weight, bias;
    private final Tensor runningMean, runningVar, numBatchesTracked;
    private long batchesTracked;

    BatchNorm(String name, int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats,
            DType dtype) {
        if (numFeatures <= 0) {
            throw new IllegalArgumentException(name + ": num_features must be positive, got " + numFeatures);
        }
        Checks.finitePositive(name, "eps", eps);
        if (momentum != null && !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(name + ": momentum must be in [0, 1] or null (cumulative average), got "
                    + momentum);
        }
        this.name = name;
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? registerParameter("weight", Tensor.ones(dtype, numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(dtype, numFeatures)) : null;
        if (trackRunningStats) {
            runningMean = registerBuffer("running_mean", Tensor.zeros(dtype, numFeatures));
            runningVar = registerBuffer("running_var", Tensor.ones(dtype, numFeatures));
            numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
        } else {
            runningMean = runningVar = numBatchesTracked = null;
        }
    }

    /**
     * A batch norm of another variant that shares {@code source}'s parameters and buffers (the same tensors, as
     * PyTorch's {@code convert_sync_batchnorm} does) and its configuration, batch count and mode.
     */
    BatchNorm(String name, BatchNorm source) {
        this.name = name;
        this.numFeatures = source.numFeatures;
        this.eps = source.eps;
        this.momentum = source.momentum;
        this.weight = source.weight == null ? null : registerParameter("weight", source.weight);
        this.bias = source.bias == null ? null : registerParameter("bias", source.bias);
        this.runningMean = source.runningMean == null ? null : registerBuffer("running_mean", source.runningMean);
        this.runningVar = source.runningVar == null ? null : registerBuffer("running_var", source.runningVar);
        this.numBatchesTracked = source.numBatchesTracked == null ? null
                : registerBuffer("num_batches_tracked", source.numBatchesTracked);
        this.batchesTracked = source.batchesTracked;
        train(source.isTraining());
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics, float32. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /**
     * A batch norm's keyword options (PyTorch's {@code BatchNorm*d(num_features, eps=, momentum=,
     * affine=, track_running_stats=, dtype=)}), from {@link BatchNorm#options()} and changed one at a
     * time: each method returns a copy.
     *
     * @param momentum null for the cumulative moving average (PyTorch's {@code momentum=None})
     * @param affine   learnable weight and bias
     */
    public record Options(double eps, Double momentum, boolean affine, boolean trackRunningStats, DType dtype) {
        static final Options DEFAULTS = new Options(1e-5, 0.1, true, true, DType.FLOAT32);

        public Options {
            if (dtype == null) throw new IllegalArgumentException("BatchNorm.Options: dtype is null");
        }

        public Options eps(double eps) {
            return new Options(eps, momentum, affine, trackRunningStats, dtype);
        }

        public Options momentum(Double momentum) {
            return new Options(eps, momentum, affine, trackRunningStats, dtype);
        }

        public Options affine(boolean affine) {
            return new Options(eps, momentum, affine, trackRunningStats, dtype);
        }

        public Options trackRunningStats(boolean trackRunningStats) {
            return new Options(eps, momentum, affine, trackRunningStats, dtype);
        }

        public Options dtype(DType dtype) {
            return new Options(eps, momentum, affine, trackRunningStats, dtype);
        }
    }

    /** Ranks this variant accepts, e.g. "2D or 3D"; checked before the op runs. */
    abstract boolean acceptsRank(int rank);

    abstract String expectedRank();

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        boolean useBatchStats = isTraining() || runningMean == null;
        double factor = trackBatch();
        return F.batchNorm(x, runningMean, runningVar, weight, bias, useBatchStats, factor, eps);
    }

    /** Checks x's rank and channel count, naming this variant. */
    final void checkInput(Tensor x) {
        if (!acceptsRank(x.dim())) {
            throw new IllegalArgumentException(name + ": expected " + expectedRank() + " input, got shape "
                    + Shape.str(x.shape()));
        }
        if (x.size(1) != numFeatures) {
            throw new IllegalArgumentException(name + ": expected " + numFeatures
                    + " channels in dimension 1, got shape " + Shape.str(x.shape()));
        }
    }

    /**
     * In training mode with running statistics, counts the batch and returns the factor of the running update
     * (momentum, or 1 / batches for the cumulative average); 0 otherwise.
     */
    final double trackBatch() {
        if (!isTraining() || runningMean == null) return 0;
        batchesTracked++;
        numBatchesTracked.fill(batchesTracked);
        return momentum == null ? 1.0 / batchesTracked : momentum;
    }

    final double eps() {
        return eps;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    /** Training-mode batches seen so far (PyTorch's num_batches_tracked). */
    public long numBatchesTracked() {
        return batchesTracked;
    }

    @Override
    protected void afterLoad() {
        super.afterLoad();
        if (numBatchesTracked != null) batchesTracked = (long) numBatchesTracked.item();
    }

    @Override
    protected String describe() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + (weight != null)
                + ", track_running_stats=" + (runningMean != null);
    }
}

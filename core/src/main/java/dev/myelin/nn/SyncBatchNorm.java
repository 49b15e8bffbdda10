package dev.myelin.nn;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.DistributedFunctional;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Batch normalization whose training-mode statistics are those of the whole batch across the ranks of a
 * process group (torch.nn.SyncBatchNorm), for input [N, C, *]: each rank sums x and x² per channel and counts
 * its values, one differentiable all-reduce (see {@link DistributedFunctional#allReduce}) combines them, and
 * x is normalized by the global mean and biased variance; autograd differentiates the composite, the
 * backward all-reducing the statistics' gradient. running_var takes the unbiased variance over the global
 * count. Eval mode, a world of one, or no process group joined: plain batch norm, as in PyTorch. Options,
 * buffers and defaults are {@link BatchNorm}'s.
 */
public final class SyncBatchNorm extends BatchNorm {
    private final ProcessGroup group;

    /** PyTorch's defaults, synchronised over {@link Distributed#group()}. */
    public SyncBatchNorm(int numFeatures) {
        this(numFeatures, options(), null);
    }

    public SyncBatchNorm(int numFeatures, Options options) {
        this(numFeatures, options, null);
    }

    /** @param group the ranks whose batches are normalized together; null for {@link Distributed#group()} */
    public SyncBatchNorm(int numFeatures, Options options, ProcessGroup group) {
        super("SyncBatchNorm", numFeatures, options.eps(), options.momentum(), options.affine(),
                options.trackRunningStats(), options.dtype());
        this.group = group;
    }

    private SyncBatchNorm(BatchNorm source, ProcessGroup group) {
        super("SyncBatchNorm", source);
        this.group = group;
    }

    /** {@link #convert(Module, ProcessGroup)} over {@link Distributed#group()}. */
    public static Module convert(Module module) {
        return convert(module, null);
    }

    /**
     * Replaces every batch norm in the tree with a SyncBatchNorm that shares its parameters, buffers and
     * batch count (PyTorch's {@code convert_sync_batchnorm}); returns the root, which is a new module only when
     * the root itself is a batch norm. Children are replaced inside {@link Sequential}s, the containers whose
     * forward reads their children list; a batch norm held by any other module is refused with its path,
     * since that module's forward calls it through its own field.
     */
    public static Module convert(Module module, ProcessGroup group) {
        if (module instanceof BatchNorm bn && !(module instanceof SyncBatchNorm)) return new SyncBatchNorm(bn, group);
        convertChildren(module, "", group);
        return module;
    }

    private static void convertChildren(Module parent, String prefix, ProcessGroup group) {
        List<Map.Entry<String, Module>> children = List.copyOf(parent.namedChildren().entrySet());
        for (int i = 0; i < children.size(); i++) {
            String name = children.get(i).getKey();
            Module child = children.get(i).getValue();
            if (child instanceof BatchNorm bn && !(child instanceof SyncBatchNorm)) {
                if (!(parent instanceof Sequential seq)) {
                    throw new IllegalArgumentException("SyncBatchNorm.convert: \"" + prefix + name + "\" is a "
                            + child.getClass().getSimpleName() + " inside a " + parent.getClass().getSimpleName()
                            + ", whose forward calls it through its own field; only Sequential children can be "
                            + "replaced. Build that module with SyncBatchNorm instead");
                }
                seq.set(i, new SyncBatchNorm(bn, group));
            } else {
                convertChildren(child, prefix + name + ".", group);
            }
        }
    }

    /** The group the statistics are reduced over; null when none was given and none was joined. */
    public ProcessGroup group() {
        if (group != null) return group;
        return Distributed.isInitialized() ? Distributed.group() : null;
    }

    @Override
    boolean acceptsRank(int rank) {
        return rank >= 2;
    }

    @Override
    String expectedRank() {
        return "at least 2D";
    }

    @Override
    public Tensor forward(Tensor x) {
        ProcessGroup g = isTraining() ? group() : null;
        if (g == null || g.worldSize() == 1) return super.forward(x);
        checkInput(x);
        double factor = trackBatch();
        return synced(x, g, factor);
    }

    private Tensor synced(Tensor x, ProcessGroup g, double factor) {
        int c = x.size(1);
        int[] channel = new int[x.dim()], dims = new int[x.dim() - 1];
        Arrays.fill(channel, 1);
        channel[1] = c;
        for (int i = 0, j = 0; i < x.dim(); i++) if (i != 1) dims[j++] = i;
        Tensor count = Tensor.empty(x.backend(), x.dtype(), 1).fill((double) (x.numel() / c));
        // One collective: [sum over the channel's values | sum of their squares | this rank's count].
        Tensor local = Tensor.cat(List.of(x.sum(dims, false), x.square().sum(dims, false), count), 0);
        Tensor global = DistributedFunctional.allReduce(local, ReduceOp.SUM, g);
        double n;
        try (var ng = GradMode.noGrad()) {
            n = global.slice(0, 2 * c, 2 * c + 1).item();
        }
        if (n <= 1) {
            throw new IllegalArgumentException("SyncBatchNorm: expected more than 1 value per channel across the "
                    + "ranks when training, got " + (long) n + " for input of shape " + Shape.str(x.shape()));
        }
        Tensor mean = global.slice(0, 0, c).div(n);
        // E[x²] - E[x]² may round below zero when the variance is tiny next to the mean.
        Tensor var = global.slice(0, c, 2 * c).div(n).sub(mean.square()).clamp(0, Double.MAX_VALUE);
        if (runningMean() != null) {
            try (var ng = GradMode.noGrad()) {
                update(runningMean(), mean, factor);
                update(runningVar(), var.mul(n / (n - 1)), factor);
            }
        }
        Tensor invStd = var.add(eps()).rsqrt();
        Tensor scale = weight == null ? invStd : invStd.mul(weight);
        Tensor y = x.sub(mean.reshape(channel)).mul(scale.reshape(channel));
        return bias == null ? y : y.add(bias.reshape(channel));
    }

    /** {@code running = momentum * stat + (1 - momentum) * running}, PyTorch's order, written in place. */
    private static void update(Tensor running, Tensor stat, double momentum) {
        running.copyFrom(stat.mul(momentum).add(running.mul(1 - momentum)));
    }
}

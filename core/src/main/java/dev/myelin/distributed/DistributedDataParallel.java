package dev.myelin.distributed;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.nn.Module;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Data-parallel training (torch.nn.parallel.DistributedDataParallel): each rank runs the same model on its own
 * part of the batch, and the backward leaves every rank with the gradients averaged over all ranks, so that
 * the same optimizer step keeps the replicas equal. With a loss that is a mean over each rank's batch, the
 * averaged gradient is that of the mean over the whole batch: 2 ranks with 64 examples each step like one
 * process with 128.
 * <pre>{@code
 * Distributed.initProcessGroup();
 * var ddp = new DistributedDataParallel(model);   // checks the ranks agree, broadcasts rank 0's state
 * var opt = SGD.with().lr(0.1).build(ddp.parameters());
 * ddp.forward(x).crossEntropy(y).backward();      // gradients all-reduced while backward runs
 * opt.step();
 * }</pre>
 *
 * <ul>
 *   <li>Construction: every rank must construct it at the same point. It checks that all ranks have the same
 *   parameters and buffers (count, order, shapes, dtypes; {@link DistributedException} naming the first
 *   difference and each rank's version), then copies rank 0's parameters and buffers to the others.</li>
 *   <li>Backward: parameters go into buckets of about {@link Options#bucketCapMb()} MiB in reverse order (the
 *   order backward produces their gradients); a bucket's all-reduce starts as soon as its gradients are all
 *   accumulated, overlapping the rest of the backward, and the end of the backward waits for all of them and
 *   sets each grad to the average (a view of the bucket, as PyTorch's {@code gradient_as_bucket_view}).</li>
 *   <li>Forward: in training mode with {@link Options#broadcastBuffers()}, rank 0's buffers (batch-norm
 *   running statistics) are broadcast first. Unlike PyTorch, eval-mode forwards broadcast nothing, so that
 *   rank 0 alone may evaluate without the others taking part.</li>
 *   <li>The wrapped module is child {@code "module"}: {@link #parameters()} are its parameters, and
 *   {@link #stateDict()} names them {@code "module.0.weight"} as PyTorch does; save
 *   {@code ddp.module().stateDict()} for a checkpoint that loads into the bare model.</li>
 *   <li>Every rank must run the same number of training forwards and backwards: each is a collective.</li>
 * </ul>
 */
public final class DistributedDataParallel extends Module {
    private final Module module;
    private final ProcessGroup group;
    private final Options options;
    private final GradientReducer reducer;
    private final List<Tensor> params;
    private boolean requireBackwardGradSync = true;
    private long steps;

    /** Wraps {@code module} over {@link Distributed#group()} with PyTorch's defaults. */
    public DistributedDataParallel(Module module) {
        this(module, Distributed.group(), options());
    }

    public DistributedDataParallel(Module module, ProcessGroup group, Options options) {
        if (module == null || group == null || options == null) {
            throw new IllegalArgumentException("DistributedDataParallel: module, group and options must not be null");
        }
        this.module = registerModule("module", module);
        this.group = group;
        this.options = options;
        List<Tensor> trained = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (var e : namedParameters().entrySet()) {
            if (!e.getValue().requiresGrad() || trained.stream().anyMatch(p -> p == e.getValue())) continue;
            trained.add(e.getValue());
            names.add(e.getKey());
        }
        this.params = List.copyOf(trained);
        if (group.worldSize() > 1) {
            ModelCheck.verify(group, stateDict());
            broadcastFromRankZero(stateDict().values());
            afterLoad(); // batch norms reread num_batches_tracked
        }
        boolean reduceGradients = group.worldSize() > 1 && options.averageParametersEvery() == 0;
        this.reducer = reduceGradients ? new GradientReducer(group, params, names, options.bucketCapMb() * (1 << 20),
                options.findUnusedParameters()) : null;
    }

    /** PyTorch's defaults: buckets of 25 MiB, buffers broadcast, gradients all-reduced every step. */
    public static Options options() {
        return Options.DEFAULTS;
    }

    /**
     * DistributedDataParallel's keyword options, from {@link DistributedDataParallel#options()} and changed one at
     * a time: each method returns a copy.
     *
     * @param bucketCapMb            MiB of gradients per all-reduce (PyTorch's {@code bucket_cap_mb}, 25)
     * @param broadcastBuffers       broadcast rank 0's buffers before each training forward (true)
     * @param averageParametersEvery local SGD when positive: no gradient all-reduce; the ranks step on their own
     *                               gradients and {@link #afterStep()} averages the parameters every this many
     *                               optimizer steps (PyTorch's {@code PeriodicModelAverager}); 0 turns it off
     * @param findUnusedParameters   allow parameters that get no gradient in a backward: their gradients stay
     *                               untouched where no rank used them, one small extra all-reduce per backward
     *                               tells which (false: such a parameter is an error after the backward)
     */
    public record Options(double bucketCapMb, boolean broadcastBuffers, int averageParametersEvery,
            boolean findUnusedParameters) {
        static final Options DEFAULTS = new Options(25, true, 0, false);

        public Options {
            if (!(bucketCapMb > 0) || Double.isInfinite(bucketCapMb)) {
                throw new IllegalArgumentException("DistributedDataParallel.Options: bucketCapMb must be a positive "
                        + "number of MiB, got " + bucketCapMb);
            }
            if (averageParametersEvery < 0) {
                throw new IllegalArgumentException("DistributedDataParallel.Options: averageParametersEvery must be "
                        + "0 (off) or a positive number of steps, got " + averageParametersEvery);
            }
        }

        public Options bucketCapMb(double bucketCapMb) {
            return new Options(bucketCapMb, broadcastBuffers, averageParametersEvery, findUnusedParameters);
        }

        public Options broadcastBuffers(boolean broadcastBuffers) {
            return new Options(bucketCapMb, broadcastBuffers, averageParametersEvery, findUnusedParameters);
        }

        public Options averageParametersEvery(int averageParametersEvery) {
            return new Options(bucketCapMb, broadcastBuffers, averageParametersEvery, findUnusedParameters);
        }

        public Options findUnusedParameters(boolean findUnusedParameters) {
            return new Options(bucketCapMb, broadcastBuffers, averageParametersEvery, findUnusedParameters);
        }
    }

    /** The wrapped model. */
    public Module module() {
        return module;
    }

    public ProcessGroup group() {
        return group;
    }

    /** How many buckets the gradients are reduced in (0 when none are: a world of one, or local SGD). */
    public int bucketCount() {
        return reducer == null ? 0 : reducer.bucketCount();
    }

    @Override
    public Tensor forward(Tensor x) {
        if (GradMode.isEnabled() && reducer != null) reducer.setEnabled(requireBackwardGradSync);
        if (isTraining() && options.broadcastBuffers() && group.worldSize() > 1) {
            Map<String, Tensor> buffers = module.namedBuffers();
            if (!buffers.isEmpty()) broadcastFromRankZero(buffers.values());
        }
        return module.forward(x);
    }

    /**
     * Until the returned guard closes, forwards are not followed by gradient reduction: the backwards of those
     * forwards only accumulate gradients locally, and the first backward after a forward outside the guard
     * averages the accumulated sums (PyTorch's {@code no_sync}, for gradient accumulation).
     * <pre>{@code
     * try (var ignored = ddp.noSync()) { ddp.forward(x1).mean().backward(); }
     * ddp.forward(x2).mean().backward(); // reduces the gradients of both
     * }</pre>
     */
    public NoSync noSync() {
        boolean previous = requireBackwardGradSync;
        requireBackwardGradSync = false;
        return () -> requireBackwardGradSync = previous;
    }

    /** The guard of {@link #noSync()}. */
    @FunctionalInterface
    public interface NoSync extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Call after each optimizer step. With {@link Options#averageParametersEvery()} = k > 0 (local SGD) it counts
     * the steps and, at every k-th, replaces each rank's parameters by their average over the ranks (a
     * collective: every rank must call it as often); returns whether it averaged. Without local SGD it does
     * nothing and returns false, so a training loop may always call it.
     */
    public boolean afterStep() {
        int k = options.averageParametersEvery();
        if (k == 0) return false;
        steps++;
        if (steps % k != 0) return false;
        if (group.worldSize() > 1) averageParameters();
        return true;
    }

    private void averageParameters() {
        try (var ng = GradMode.noGrad()) {
            List<Bucket> buckets = Bucket.assign(params, options.bucketCapMb() * (1 << 20));
            for (Bucket b : buckets) {
                b.flat = b.pack(p -> p);
                b.work = group.allReduce(List.of(b.flat), ReduceOp.AVG);
            }
            for (Bucket b : buckets) {
                b.work.await();
                for (int i = 0; i < b.members.size(); i++) {
                    try (Tensor averaged = b.segment(b.flat, i)) {
                        b.members.get(i).copyFrom(averaged);
                    }
                }
                b.clear();
            }
        }
    }

    private void broadcastFromRankZero(Iterable<Tensor> tensors) {
        List<Tensor> views = new ArrayList<>();
        for (Tensor t : tensors) views.add(t.detach());
        try {
            group.broadcast(views, 0).await();
        } finally {
            for (Tensor v : views) {
                v.incrementVersion();
                v.close();
            }
        }
    }

    /** Removes the gradient hooks and frees the wrapped module's parameters and buffers. */
    @Override
    public void close() {
        if (reducer != null) reducer.removeHooks();
        super.close();
    }

    @Override
    protected String describe() {
        return "rank " + group.rank() + " of " + group.worldSize() + ", " + group.name() + ", "
                + (reducer != null ? bucketCount() + " buckets"
                        : options.averageParametersEvery() > 0 ? "averaging parameters every "
                                + options.averageParametersEvery() + " steps" : "world of one");
    }
}

package dev.myelin.distributed;

import dev.myelin.RemovableHandle;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * DistributedDataParallel's reducer (PyTorch's {@code Reducer}): averages the parameters' gradients across
 * the ranks during backward. Each parameter's post-accumulate-grad hook marks it ready; once a bucket and
 * every bucket before it are ready, their all-reduces start (in bucket order, so that every rank issues the
 * same collectives in the same order whatever order its gradients arrive in), while the backward goes on
 * with the layers below. A callback queued for the end of the backward starts the buckets left, waits for
 * all of them and makes each parameter's grad a view of its bucket's averaged values.
 */
final class GradientReducer {
    private final ProcessGroup group;
    private final boolean findUnusedParameters;
    private final List<Tensor> params;
    private final List<String> names;
    private final List<Bucket> buckets;
    private final Map<Tensor, Integer> bucketOf = new IdentityHashMap<>();
    private final Map<Tensor, Integer> indexOf = new IdentityHashMap<>();
    private final List<RemovableHandle> hooks = new ArrayList<>();
    private boolean[] ready;
    private boolean enabled = true;
    private boolean inBackward;
    private int nextToLaunch;

    /** @param params the parameters in model order, by their names; buckets take them in reverse */
    GradientReducer(ProcessGroup group, List<Tensor> params, List<String> names, double capBytes,
            boolean findUnusedParameters) {
        this.group = group;
        this.findUnusedParameters = findUnusedParameters;
        this.params = List.copyOf(params);
        this.names = List.copyOf(names);
        this.buckets = Bucket.assign(params.reversed(), capBytes);
        for (int b = 0; b < buckets.size(); b++) for (Tensor p : buckets.get(b).members) bucketOf.put(p, b);
        for (int i = 0; i < params.size(); i++) indexOf.put(params.get(i), i);
        for (Tensor p : params) hooks.add(p.registerPostAccumulateGradHook(this::onGradient));
    }

    int bucketCount() {
        return buckets.size();
    }

    /** Whether the next backward reduces (false under {@code noSync}: gradients only accumulate). */
    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    void removeHooks() {
        hooks.forEach(RemovableHandle::remove);
        hooks.clear();
    }

    private void onGradient(Tensor param) {
        if (!enabled) return;
        if (!inBackward) begin();
        int i = indexOf.get(param);
        if (ready[i]) return;
        ready[i] = true;
        buckets.get(bucketOf.get(param)).pending--;
        while (nextToLaunch < buckets.size() && buckets.get(nextToLaunch).pending == 0) launch(nextToLaunch++);
    }

    private void begin() {
        inBackward = true;
        ready = new boolean[params.size()];
        nextToLaunch = 0;
        for (Bucket b : buckets) b.pending = b.members.size();
        Autograd.queueCallback(this::finish);
    }

    private void launch(int b) {
        Bucket bucket = buckets.get(b);
        // A parameter that got no gradient in this backward contributes what it has (an accumulated one
        // from noSync steps) or zeros, so that every rank reduces the same buckets.
        // Divided by the world size first, then summed: PyTorch's default communication hook (allreduce_hook)
        // does the same, and the division runs on the backend's vector kernels rather than in the transport.
        try (Tensor packed = bucket.pack(Tensor::grad)) {
            bucket.flat = packed.div(group.worldSize());
        }
        bucket.work = group.allReduce(List.of(bucket.flat), ReduceOp.SUM);
    }

    private void finish() {
        try {
            while (nextToLaunch < buckets.size()) launch(nextToLaunch++);
            boolean[] usedSomewhere = findUnusedParameters ? usedOnAnyRank() : null;
            for (Bucket bucket : buckets) bucket.work.await();
            for (Bucket bucket : buckets) writeBack(bucket, usedSomewhere);
            if (!findUnusedParameters) checkAllUsed();
        } finally {
            for (Bucket bucket : buckets) bucket.clear();
            inBackward = false;
        }
    }

    /** One small collective: which parameters got a gradient on at least one rank. */
    private boolean[] usedOnAnyRank() {
        double[] local = new double[params.size()];
        for (int i = 0; i < local.length; i++) local[i] = ready[i] || params.get(i).grad() != null ? 1 : 0;
        double[] any = group.allReduce(local, ReduceOp.MAX);
        boolean[] used = new boolean[any.length];
        for (int i = 0; i < any.length; i++) used[i] = any[i] > 0;
        return used;
    }

    private void writeBack(Bucket bucket, boolean[] usedSomewhere) {
        for (int j = 0; j < bucket.members.size(); j++) {
            Tensor p = bucket.members.get(j);
            // Unused on every rank: its grad stays as it was (none), as PyTorch leaves it.
            if (usedSomewhere != null && !usedSomewhere[indexOf.get(p)]) continue;
            try (Tensor averaged = bucket.segment(bucket.flat, j)) {
                p.setGrad(averaged);
            }
        }
    }

    private void checkAllUsed() {
        List<String> unused = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) if (!ready[i]) unused.add(names.get(i));
        if (unused.isEmpty()) return;
        throw new DistributedException("DistributedDataParallel (rank " + group.rank() + " of " + group.worldSize()
                + "): parameters got no gradient in this backward: " + unused + "; their gradients were reduced "
                + "as zeros so that the ranks stay in step, but an unused parameter usually means a mistake; "
                + "construct with options().findUnusedParameters(true) if the model skips parameters on purpose");
    }
}

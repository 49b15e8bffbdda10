package dev.myelin.examples;

import dev.myelin.data.DataLoader;
import dev.myelin.data.Dataset;
import dev.myelin.data.DistributedSampler;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.DistributedDataParallel;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.nn.Module;
import dev.myelin.nn.SyncBatchNorm;

/**
 * What {@code --distributed} changes in an example that trains one model: the process joins the job its
 * launcher started ({@code mpirun -np N} or {@code ./myelin launch -n N}), each batch norm becomes a
 * SyncBatchNorm (statistics over the whole global batch, as in the single-process run), the model is wrapped
 * in DistributedDataParallel, and each rank reads its own shard of the data: {@code --batch-size} stays the
 * global batch, split evenly over the ranks, so N ranks train the same recipe as one process. Without
 * {@code --distributed} (or as a job of one) nothing changes.
 */
final class DataParallel implements AutoCloseable {
    private final ProcessGroup group;

    private DataParallel(ProcessGroup group) {
        this.group = group;
    }

    /** Joins the job when {@code args} asks for it; otherwise a world of one without any collective. */
    static DataParallel of(ExampleArgs args) {
        return new DataParallel(args.distributed() ? Distributed.initProcessGroup() : null);
    }

    boolean isDistributed() {
        return group != null && group.worldSize() > 1;
    }

    /** Whether this process prints what every rank would print the same (rank 0, or a single process). */
    boolean leads() {
        return group == null || group.rank() == 0;
    }

    /** The model to train: {@code model} itself, or its data-parallel wrapper over SyncBatchNorm. */
    Module wrap(Module model) {
        if (!isDistributed()) return model;
        return new DistributedDataParallel(SyncBatchNorm.convert(model, group), group,
                DistributedDataParallel.options());
    }

    /** The training loader: shuffled from {@code seed}, this rank's shard and its part of the global batch. */
    DataLoader trainLoader(Dataset train, int globalBatch, long seed) {
        if (!isDistributed()) return new DataLoader(train, globalBatch, DataLoader.options().shuffle(true).seed(seed));
        var sampler = new DistributedSampler(train, group, DistributedSampler.options().seed(seed));
        return new DataLoader(train, perRank(globalBatch), DataLoader.options().sampler(sampler));
    }

    /** The evaluation loader: in order; each rank evaluates its shard and the Trainer sums the ranks' counts. */
    DataLoader testLoader(Dataset test, int batch) {
        if (!isDistributed()) return new DataLoader(test, batch);
        var sampler = new DistributedSampler(test, group, DistributedSampler.options().shuffle(false));
        return new DataLoader(test, batch, DataLoader.options().sampler(sampler));
    }

    private int perRank(int globalBatch) {
        if (globalBatch % group.worldSize() != 0) {
            throw new IllegalArgumentException("--batch-size " + globalBatch + " is the global batch and must split "
                    + "evenly over the " + group.worldSize() + " ranks");
        }
        return globalBatch / group.worldSize();
    }

    /** Leaves the job (MPI_Finalize), after the last collective. */
    @Override
    public void close() {
        if (group != null) Distributed.destroyProcessGroup();
    }
}

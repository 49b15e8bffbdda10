package dev.myelin.distributed.mpi;

import dev.myelin.DType;
import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.DistributedDataParallel;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.SyncBatchNorm;
import dev.myelin.nn.functional.F;
import dev.myelin.optim.SGD;
import dev.myelin.random.Generator;

import java.util.Map;
import java.util.Random;

/**
 * One rank of the equivalence test (run by {@link MpiRun} on 2 ranks, one CPU thread each): 20 SGD steps of
 * DistributedDataParallel with 64 examples per rank against a model trained in this same process on all 128
 * examples of each step; the parameters (and batch norm's running statistics) must agree within relative 1e-5.
 * Argument {@code plain}: an MLP without batch norm; {@code syncbn}: the card's MLP with BatchNorm1d (a
 * SyncBatchNorm under DDP) and dropout, whose masks match the single process's rows: the dropout draws from its own
 * Philox generator, which each rank sets, before each step, to the counter of its first row in the whole batch's
 * mask (counter-based, so a rank's half of the mask is the single process's mask for those rows).
 */
public final class EquivalenceMain {
    private static final int STEPS = 20, BATCH = 128, IN = 12, CLASSES = 5;
    private static final double RTOL = 1e-5;
    private static final int HIDDEN = 32;
    private static final long DROPOUT_SEED = 11;

    private EquivalenceMain() {}

    public static void main(String[] args) {
        boolean batchNorm = args[0].equals("syncbn");
        ProcessGroup group = Distributed.initProcessGroup("mpi");
        Generator referenceMasks = new Generator(DROPOUT_SEED), replicaMasks = new Generator(DROPOUT_SEED);
        Module reference = model(batchNorm, referenceMasks);
        train(reference, 0, BATCH, referenceMasks);
        Module replica = batchNorm ? SyncBatchNorm.convert(model(true, replicaMasks), group) : model(false, null);
        // Small buckets: several all-reduces per backward, over the MPI transport.
        var ddp = new DistributedDataParallel(replica, group, DistributedDataParallel.options().bucketCapMb(0.001));
        int half = BATCH / group.worldSize();
        train(ddp, group.rank() * half, half, replicaMasks);
        double worst = compare(reference.stateDict(), replica.stateDict());
        System.out.println("rank " + group.rank() + ": equivalent to one process, relative difference " + worst
                + " (" + ddp.bucketCount() + " buckets)");
        group.close();
    }

    private static Module model(boolean batchNorm, Generator masks) {
        Generator g = new Generator(7);
        return batchNorm
                ? new Sequential(new Linear(IN, HIDDEN, true, DType.FLOAT32, g), new BatchNorm1d(HIDDEN), new ReLU(),
                        new Dropout(0.2, masks), new Linear(HIDDEN, CLASSES, true, DType.FLOAT32, g))
                : new Sequential(new Linear(IN, HIDDEN, true, DType.FLOAT32, g), new ReLU(),
                        new Linear(HIDDEN, 24, true, DType.FLOAT32, g), new ReLU(),
                        new Linear(24, CLASSES, true, DType.FLOAT32, g));
    }

    /**
     * STEPS steps of SGD with momentum, each on rows [from, from + rows) of that step's batch of 128; the dropout
     * generator {@code masks} (if any) is set to where row {@code from} of that step's whole mask starts.
     */
    private static void train(Module model, int from, int rows, Generator masks) {
        SGD sgd = SGD.with().lr(0.1).momentum(0.9).build(model.parameters());
        model.train();
        for (int step = 0; step < STEPS; step++) {
            try (var scope = MemoryScope.open()) {
                Random r = new Random(1000 + step);
                float[] x = new float[BATCH * IN];
                long[] y = new long[BATCH];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                for (int i = 0; i < y.length; i++) y[i] = r.nextInt(CLASSES);
                Tensor inputs = Tensor.of(x, BATCH, IN).slice(0, from, from + rows);
                Tensor labels = Tensor.of(y, BATCH).slice(0, from, from + rows);
                if (masks != null) masks.setState(DROPOUT_SEED, counters((long) step * BATCH * HIDDEN)
                        + counters((long) from * HIDDEN));
                sgd.zeroGrad();
                F.crossEntropy(model.forward(inputs), labels).backward();
                sgd.step();
            }
        }
    }

    /** The Philox counters that n numbers take (what {@link Generator#reserve} advances by). */
    private static long counters(long n) {
        Generator scratch = new Generator(0);
        scratch.reserve(n);
        return scratch.offset();
    }

    /** The largest relative difference ||a - e|| / ||e|| over the floating-point tensors; fails above RTOL. */
    private static double compare(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        if (!expected.keySet().equals(actual.keySet())) {
            throw new AssertionError("state keys differ: " + expected.keySet() + " vs " + actual.keySet());
        }
        double worst = 0;
        for (String name : expected.keySet()) {
            if (!expected.get(name).dtype().isFloating()) continue;
            double[] e = expected.get(name).toDoubleArray(), a = actual.get(name).toDoubleArray();
            double diff = 0, norm = 0;
            for (int i = 0; i < e.length; i++) {
                diff += (a[i] - e[i]) * (a[i] - e[i]);
                norm += e[i] * e[i];
            }
            double relative = Math.sqrt(diff / norm);
            if (!(relative <= RTOL)) {
                throw new AssertionError(name + ": relative difference " + relative + " > " + RTOL);
            }
            worst = Math.max(worst, relative);
        }
        return worst;
    }
}

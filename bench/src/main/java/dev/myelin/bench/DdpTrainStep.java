package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.DistributedDataParallel;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Optimizer;

import java.util.Arrays;
import java.util.Locale;

/**
 * The MLP training step of {@link Bench} as one rank of a data-parallel job: DistributedDataParallel
 * over whatever transport the launcher gives (a world of one without one), {@code --batch} samples per
 * rank. Rank 0 prints one JSON line with the median step and the whole job's samples per second, the
 * format of bench/torch_ddp.py.
 * <pre>mpirun -np 2 java ... dev.myelin.bench.DdpTrainStep --batch 128 [--iterations 30]</pre>
 */
public final class DdpTrainStep {
    /** Enough for the JIT to compile the step's hot loops on this machine (the single-process bench warms 2 s). */
    private static final int WARMUP_STEPS = 60;

    private DdpTrainStep() {}

    public static void main(String[] args) {
        int batch = 128, iterations = 100, averageEvery = 0;
        double bucketCapMb = 25;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                case "--bucket-cap-mb" -> bucketCapMb = Double.parseDouble(args[i + 1]);
                case "--average-every" -> averageEvery = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("DdpTrainStep: unknown option " + args[i]
                        + "; known: --batch N, --iterations N, --bucket-cap-mb MB, --average-every K (local SGD)");
            }
        }
        ProcessGroup group = Distributed.initProcessGroup();
        try {
            run(group, batch, iterations, DistributedDataParallel.options().bucketCapMb(bucketCapMb)
                    .averageParametersEvery(averageEvery));
        } finally {
            Distributed.destroyProcessGroup();
        }
    }

    private static void run(ProcessGroup group, int batch, int iterations, DistributedDataParallel.Options options) {
        Myelin.manualSeed(0);
        var ddp = new DistributedDataParallel(BenchModels.mlp(), group, options);
        Myelin.manualSeed(1 + group.rank());
        Tensor x = Tensor.randn(batch, 784);
        Tensor y = BenchModels.labels(batch, 10);
        Optimizer optimizer = BenchModels.sgd(ddp.parameters());
        var loss = new CrossEntropyLoss();
        Runnable step = () -> {
            try (var scope = MemoryScope.open()) {
                loss.forward(ddp.forward(x), y).backward();
                optimizer.step();
                optimizer.zeroGrad();
                ddp.afterStep();
            }
        };
        // A fixed number of steps on every rank: a loop timed per rank could end one rank a step before the
        // others, which would then wait in a collective until the timeout.
        for (int i = 0; i < WARMUP_STEPS; i++) step.run();
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        double median = Timing.median(ms);
        if (group.rank() == 0) {
            String threads = System.getProperty("myelin.cpu.threads", "all");
            System.out.printf(Locale.ROOT, "{\"workload\": \"ddp_mlp_train_step\", \"framework\": \"myelin-%s\", "
                    + "\"ranks\": %d, \"threads_per_rank\": \"%s\", \"batch_per_rank\": %d, \"median_ms\": %.3f, "
                    + "\"min_ms\": %.3f, \"samples_per_s\": %.1f}%n", group.name(), group.worldSize(), threads, batch,
                    median, ms[0], group.worldSize() * batch / (median / 1e3));
        }
        optimizer.close();
        ddp.close();
    }
}

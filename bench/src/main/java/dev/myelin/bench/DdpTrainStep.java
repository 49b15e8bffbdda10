package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.DistributedDataParallel;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Optimizer;

import java.util.Locale;

/**
 * The MLP training step of {@link Bench} as one rank of a data-parallel job: DistributedDataParallel
 * over whatever transport the launcher gives (a world of one without one), {@code --batch} samples per
 * rank. Rank 0 prints one JSON line with the median step and the whole job's samples per second, the
 * format of bench/torch_ddp.py.
 * <pre>mpirun -np 2 java ... dev.myelin.bench.DdpTrainStep --batch 128 [--iterations 30]</pre>
 */
public final class DdpTrainStep {
    private DdpTrainStep() {}

    public static void main(String[] args) {
        int batch = 128, iterations = 30;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[i + 1]);
                case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("DdpTrainStep: unknown option " + args[i]
                        + "; known: --batch N, --iterations N");
            }
        }
        ProcessGroup group = Distributed.initProcessGroup();
        try {
            run(group, batch, iterations);
        } finally {
            Distributed.destroyProcessGroup();
        }
    }

    private static void run(ProcessGroup group, int batch, int iterations) {
        Myelin.manualSeed(0);
        var ddp = new DistributedDataParallel(BenchModels.mlp());
        Myelin.manualSeed(1 + group.rank());
        Tensor x = Tensor.randn(batch, 784);
        Tensor y = BenchModels.labels(batch, 10);
        Optimizer optimizer = BenchModels.sgd(ddp.parameters());
        var loss = new CrossEntropyLoss();
        Workload step = new Workload() {
            @Override
            public String name() {
                return "ddp_mlp_train_step";
            }

            @Override
            public String shape() {
                return "batch " + x.size(0) + " per rank";
            }

            @Override
            public void setUp() {}

            @Override
            public void iteration() {
                try (var scope = MemoryScope.open()) {
                    loss.forward(ddp.forward(x), y).backward();
                    optimizer.step();
                    optimizer.zeroGrad();
                }
            }
        };
        double[] ms = new Timing(10, 2.0, iterations, 1.0).measure(step, Myelin.backend());
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

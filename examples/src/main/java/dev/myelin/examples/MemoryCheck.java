package dev.myelin.examples;

import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.backend.Backends;
import dev.myelin.cuda.CudaMemory;
import dev.myelin.cuda.runtime.MemoryStats;
import dev.myelin.data.Batch;
import dev.myelin.data.DataLoader;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.SGD;

import java.util.Locale;

/**
 * Trains the main job's MLP for a number of steps and reports memory along the way, to show it
 * stays flat: on CUDA the caching allocator's bytes in use and cached (and how often it had to
 * ask the driver), on every backend the JVM heap in use after a collection.
 * <pre>./myelin example MemoryCheck [--steps 10000] [--data DIR] [--limit N]</pre>
 * ({@code --steps} must come first.)
 * Reports at step 100, every 1,000 steps, and at the last step.
 */
public final class MemoryCheck {
    public static void main(String[] args) {
        String usage = ExampleArgs.usage("MemoryCheck", " [--steps N]") + " (--steps first)";
        int steps = 10_000;
        String[] rest = args;
        if (args.length >= 1 && args[0].equals("--steps")) {
            steps = args.length >= 2 && args[1].matches("[0-9]{1,9}") ? Integer.parseInt(args[1]) : 0;
            if (steps < 1) {
                throw ExampleArgs.exit("MemoryCheck", "--steps expects a whole number >= 1, got "
                        + (args.length >= 2 ? "\"" + args[1] + "\"" : "nothing"), usage);
            }
            rest = java.util.Arrays.copyOfRange(args, 2, args.length);
        }
        ExampleArgs a;
        try {
            a = ExampleArgs.parse(rest, 1, 128, "runs");
        } catch (IllegalArgumentException e) {
            throw ExampleArgs.exit("MemoryCheck", e.getMessage(), usage);
        }
        Myelin.manualSeed(a.seed());
        FashionMnist data = FashionMnist.load(a.data(), a.limit());
        String backend = Backends.getDefault().name();
        System.out.println(data.describe() + "; backend " + backend + "; " + steps + " steps");
        Sequential model = Models.mlp();
        Optimizer optimizer = SGD.with().lr(0.05).momentum(0.9).nesterov(true).build(model.parameters());
        CrossEntropyLoss loss = new CrossEntropyLoss();
        DataLoader loader = new DataLoader(data.train(), a.batchSize(),
                DataLoader.options().shuffle(true).seed(a.seed()).dropLast(true));
        int step = 0;
        while (step < steps) {
            try (var batches = loader.iterator()) {
                while (batches.hasNext() && step < steps) {
                    try (Batch b = batches.next(); var scope = MemoryScope.open()) {
                        loss.forward(model.forward(b.x()), b.y()).backward();
                        optimizer.step();
                        optimizer.zeroGrad();
                    }
                    step++;
                    if (step == 100 || step % 1000 == 0 || step == steps) report(step, backend);
                }
            }
        }
    }

    private static void report(int step, String backend) {
        Backends.getDefault().synchronize();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        String line = String.format(Locale.ROOT, "step %6d  heap in use %7.1f MiB", step,
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0);
        if (backend.equals("cuda")) {
            MemoryStats s = CudaMemory.stats(Backends.getDefault());
            line += String.format(Locale.ROOT, "  device in use %8.1f MiB  cached %8.1f MiB  peak %8.1f MiB  "
                            + "driver allocs %d  frees %d  cache hits %d", s.bytesInUse() / 1048576.0,
                    s.bytesCached() / 1048576.0, s.peakBytesInUse() / 1048576.0, s.allocCalls(), s.freeCalls(),
                    s.cacheHits());
        }
        System.out.println(line);
    }
}

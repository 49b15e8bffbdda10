package dev.myelin.bench;

import dev.myelin.Myelin;
import dev.myelin.backend.Backend;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Linear;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.functional.F;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Times the reference workloads and prints one JSON line per workload; bench/torch_reference.py
 * runs the same workloads in PyTorch, and bench/compare.py puts the two side by side
 * ({@code ./myelin bench} does all three). Options:
 * {@code --threads N} (CPU threads; default: all cores), {@code --backend cpu|cuda|auto},
 * {@code --filter REGEX} (workload names), {@code --iterations N} (timed, at least 20),
 * {@code --quick} (short warm-up and timing, for smoke tests), {@code --out FILE} (also append the lines there),
 * {@code --list} (print the selected workloads' names and stop).
 */
public final class Bench {
    private Bench() {}

    static List<Workload> workloads() {
        List<Workload> all = new ArrayList<>();
        for (int n : new int[] {256, 512, 1024, 2048}) all.add(Gemm.square(n));
        // The MLP step's GEMMs (batch 256, hidden 1024): forward, weight gradient (k = 256), input gradient.
        all.add(Gemm.shaped(256, 1024, 784, false, true));
        all.add(Gemm.shaped(1024, 1024, 256, true, false));
        all.add(Gemm.shaped(256, 1024, 1024, false, false));
        all.add(new TrainStep("mlp_train_step", BenchModels::mlp, 256, 784));
        all.add(new EvalForward("mlp_eval_forward", BenchModels::mlp, 256, 784));
        all.add(new TrainStep("cnn_train_step", BenchModels::cnn, 128, 1, 28, 28));
        all.add(OpStep.ofModule("linear_relu_fwd_bwd", () -> new Sequential(new Linear(1024, 1024), new ReLU()),
                256, 1024));
        all.add(OpStep.ofModule("bn1d_fwd_bwd", () -> new BatchNorm1d(1024), 256, 1024));
        all.add(OpStep.ofModule("bn2d_fwd_bwd", () -> new BatchNorm2d(32), 64, 32, 28, 28));
        all.add(OpStep.of("dropout_fwd_bwd", x -> F.dropout(x, 0.5, true), 256, 1024));
        all.add(OpStep.of("gelu_fwd_bwd", F::gelu, 256, 1024));
        all.add(OpStep.of("maxpool2d_fwd_bwd", x -> F.maxPool2d(x, 2), 128, 32, 28, 28));
        var labels = BenchModels.labels(256, 10);
        all.add(OpStep.of("cross_entropy_fwd_bwd", x -> F.crossEntropy(x, labels), 256, 10));
        return all;
    }

    public static void main(String[] args) throws IOException {
        Options o = Options.parse(args);
        Pattern filter = Pattern.compile(o.filter());
        if (o.list()) {
            for (Workload w : workloads()) if (filter.matcher(w.name()).find()) System.out.println(w.name());
            return;
        }
        if (o.threads() > 0) System.setProperty("myelin.cpu.threads", Integer.toString(o.threads()));
        Backend backend = Myelin.useBackend(o.backend());
        int threads = o.threads() > 0 ? o.threads() : Runtime.getRuntime().availableProcessors();
        Timing timing = o.quick() ? new Timing(1, 0, 2, 0) : new Timing(10, 2.0, o.iterations(), 1.0);
        PrintStream file = o.out() == null ? null
                : new PrintStream(Files.newOutputStream(o.out(), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND), true);
        for (Workload w : workloads()) {
            if (!filter.matcher(w.name()).find()) continue;
            try (w) {
                w.setUp();
                String line = Result.of(w, backend.name(), threads, timing.measure(w, backend)).toJson();
                System.out.println(line);
                if (file != null) file.println(line);
            }
        }
        if (file != null) file.close();
    }

    record Options(int threads, String backend, String filter, int iterations, boolean quick, boolean list, Path out) {
        static Options parse(String[] args) {
            int threads = 0, iterations = 20;
            String backend = "auto", filter = "";
            boolean quick = false, list = false;
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--quick") || a.equals("--list")) {
                    quick |= a.equals("--quick");
                    list |= a.equals("--list");
                    continue;
                }
                if (i + 1 >= args.length) throw new IllegalArgumentException("bench: " + a + " needs a value");
                String v = args[++i];
                switch (a) {
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--backend" -> backend = v;
                    case "--filter" -> filter = v;
                    case "--iterations" -> iterations = Math.max(20, Integer.parseInt(v));
                    case "--out" -> out = Path.of(v);
                    default -> throw new IllegalArgumentException("bench: unknown option " + a
                            + "; known: --threads N, --backend cpu|cuda|auto, --filter REGEX, --iterations N, --quick, "
                            + "--list, --out FILE");
                }
            }
            return new Options(threads, backend, filter, iterations, quick, list, out);
        }
    }
}

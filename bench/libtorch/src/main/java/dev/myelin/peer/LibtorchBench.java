package dev.myelin.peer;

import dev.myelin.peer.TorchWorkloads.Work;
import org.bytedeco.javacpp.PointerScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static org.bytedeco.pytorch.global.torch.get_num_threads;
import static org.bytedeco.pytorch.global.torch.manual_seed;
import static org.bytedeco.pytorch.global.torch.set_num_threads;

/**
 * PyTorch 2.10 through libtorch's C++ API (no Python in the loop) on Myelin's benchmark workloads,
 * timed as Myelin's bench times its own (dev.myelin.bench.Timing): warm-up of at least 10 iterations and
 * 2 s, then blocks (10 iterations and 0.5 s) until one is not 3 % faster than the one before (30 s at
 * most), then the median of at least 20 iterations and 1 s. One JSON line per workload, framework "libtorch-2.10",
 * with the thread configuration's label. Run by scripts/libtorch-peer.sh, which sets the environment.
 *
 *   LibtorchBench --threads N [--filter REGEX] [--config LABEL] [--list]
 */
public final class LibtorchBench {
    private LibtorchBench() {}

    public static void main(String[] args) {
        int threads = 2;
        String filter = "", config = "default";
        boolean list = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--filter" -> filter = args[++i];
                case "--config" -> config = args[++i];
                case "--list" -> list = true;
                default -> throw new IllegalArgumentException("LibtorchBench: unknown option " + args[i]);
            }
        }
        set_num_threads(threads);
        Pattern selected = Pattern.compile(filter);
        for (Map.Entry<String, Supplier<Work>> e : TorchWorkloads.all().entrySet()) {
            if (!selected.matcher(e.getKey()).find()) continue;
            if (list) {
                System.out.println(e.getKey());
                continue;
            }
            manual_seed(0);
            Work work = e.getValue().get();
            double[] ms = measure(work.iteration());
            System.out.println(json(work, config, ms));
        }
    }

    private static double[] measure(Runnable iteration) {
        long end = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 10 || System.nanoTime() < end; i++) once(iteration);
        long giveUp = System.nanoTime() + 30_000_000_000L;
        double previous = median(run(iteration, 10, 0.5));
        while (System.nanoTime() < giveUp) {
            double now = median(run(iteration, 10, 0.5));
            if (now > 0.97 * previous) break;
            previous = now;
        }
        return run(iteration, 20, 1.0);
    }

    /** At least {@code count} iterations and {@code seconds}: their times in ms, sorted. */
    private static double[] run(Runnable iteration, int count, double seconds) {
        List<Double> times = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (times.size() < count || System.nanoTime() < end) {
            long t0 = System.nanoTime();
            once(iteration);
            times.add((System.nanoTime() - t0) / 1e6);
        }
        return times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Frees the iteration's native tensors at its end, as Python's reference counting would. */
    private static void once(Runnable iteration) {
        try (PointerScope scope = new PointerScope()) {
            iteration.run();
        }
    }

    private static String json(Work w, String config, double[] ms) {
        int n = ms.length;
        double median = median(ms);
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "{\"workload\": \"%s\", \"framework\": \"libtorch-2.10\", \"config\": \"%s\", \"backend\": \"cpu\", "
                        + "\"threads\": %d, \"shape\": \"%s\", \"iterations\": %d, \"median_ms\": %.4f, \"min_ms\": "
                        + "%.4f", w.name(), config, get_num_threads(), w.shape(), n, median, ms[0]));
        if (w.flops() > 0) s.append(String.format(Locale.ROOT, ", \"gflops\": %.2f", w.flops() / (median * 1e6)));
        if (w.samples() > 0) {
            s.append(String.format(Locale.ROOT, ", \"samples_per_s\": %.1f", w.samples() / (median / 1e3)));
        }
        return s.append('}').toString();
    }
}

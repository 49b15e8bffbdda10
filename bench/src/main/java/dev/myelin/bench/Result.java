package dev.myelin.bench;

import java.util.Locale;

/** One workload's numbers, printed as one JSON line (the format bench/torch_reference.py prints too). */
record Result(String workload, String framework, String backend, int threads, String shape, int iterations,
              double medianMs, double minMs, double gflops, double samplesPerSecond) {

    static Result of(Workload w, String backend, int threads, double[] sortedMs) {
        double median = Timing.median(sortedMs);
        double gflops = w.flops() > 0 ? w.flops() / (median * 1e6) : 0;
        double samples = w.samples() > 0 ? w.samples() / (median / 1e3) : 0;
        return new Result(w.name(), "myelin", backend, threads, w.shape(), sortedMs.length, median, sortedMs[0],
                gflops, samples);
    }

    String toJson() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "{\"workload\": \"%s\", \"framework\": \"%s\", \"backend\": \"%s\", \"threads\": %d, \"shape\": "
                + "\"%s\", \"iterations\": %d, \"median_ms\": %.4f, \"min_ms\": %.4f",
                workload, framework, backend, threads, shape, iterations, medianMs, minMs));
        if (gflops > 0) s.append(String.format(Locale.ROOT, ", \"gflops\": %.2f", gflops));
        if (samplesPerSecond > 0) s.append(String.format(Locale.ROOT, ", \"samples_per_s\": %.1f", samplesPerSecond));
        return s.append('}').toString();
    }
}

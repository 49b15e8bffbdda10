package dev.myelin.bench;

import dev.myelin.backend.Backend;

import java.util.Arrays;

/**
 * Warm-up, then timed iterations; the median is what we report (robust to the odd GC pause or
 * a neighbour's burst). Warm-up runs until both its iteration count and its time are reached, and
 * then on in blocks until the JIT has settled: a block (at least 10 iterations and 0.5 s) whose
 * median is not 3 % faster than the block before ends it, or 30 s do. On this 2-core machine the
 * compiler threads share the cores with the workload, and the MLP training step still ran 1.6x
 * slower than its steady state 2 s into a run. Timing then runs at least {@code iterations} times
 * and at least {@code minSeconds}. The backend is synchronized before each clock read.
 */
record Timing(int warmupIterations, double warmupSeconds, int iterations, double minSeconds) {
    /** Per-iteration times in milliseconds, sorted. */
    double[] measure(Workload w, Backend backend) {
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmupIterations || System.nanoTime() < warmEnd; i++) {
            w.iteration();
        }
        if (warmupSeconds > 0) settle(w, backend);
        return run(w, backend, iterations, minSeconds);
    }

    /** Warm-up blocks until one is not 3 % faster than the one before, or 30 s have passed. */
    private static void settle(Workload w, Backend backend) {
        long giveUp = System.nanoTime() + 30_000_000_000L;
        double previous = median(run(w, backend, 10, 0.5));
        while (System.nanoTime() < giveUp) {
            double now = median(run(w, backend, 10, 0.5));
            if (now > 0.97 * previous) return;
            previous = now;
        }
    }

    /** At least {@code count} iterations and {@code seconds}: their times in ms, sorted. */
    private static double[] run(Workload w, Backend backend, int count, double seconds) {
        backend.synchronize();
        double[] ms = new double[Math.max(count, 16)];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (n < count || System.nanoTime() < end) {
            long start = System.nanoTime();
            w.iteration();
            backend.synchronize();
            if (n == ms.length) ms = Arrays.copyOf(ms, 2 * n);
            ms[n++] = (System.nanoTime() - start) / 1e6;
        }
        double[] sorted = Arrays.copyOf(ms, n);
        Arrays.sort(sorted);
        return sorted;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

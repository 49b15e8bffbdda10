package dev.myelin.bench;

import dev.myelin.backend.Backend;

import java.util.Arrays;

/**
 * Warm-up, then timed iterations; the median is what we report (robust to the odd GC pause or
 * a neighbour's burst). Warm-up runs until both its iteration count and its time are reached so
 * that the JIT has compiled the hot loops; timing likewise runs at least {@code iterations}
 * times and at least {@code minSeconds}. The backend is synchronized before each clock read.
 */
record Timing(int warmupIterations, double warmupSeconds, int iterations, double minSeconds) {
    /** Per-iteration times in milliseconds, sorted. */
    double[] measure(Workload w, Backend backend) {
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        for (int i = 0; i < warmupIterations || System.nanoTime() < warmEnd; i++) {
            w.iteration();
        }
        backend.synchronize();
        double[] ms = new double[Math.max(iterations, 16)];
        int n = 0;
        long end = System.nanoTime() + (long) (minSeconds * 1e9);
        while (n < iterations || System.nanoTime() < end) {
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

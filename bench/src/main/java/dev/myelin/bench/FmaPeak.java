package dev.myelin.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Locale;
import java.util.concurrent.CyclicBarrier;

/**
 * The machine's measured float32 peak: each of {@code --threads N} threads runs chains of fused
 * multiply-adds on registers only (sixteen independent accumulators of the widest vector, more
 * than the FMA units' latency needs), no memory traffic. Prints one JSON line with GFLOP/s (one FMA =
 * two flops), the best of five 0.2 s rounds, so that a GEMM's rate can be read as a share of what
 * the cores can do. {@code --threads N} (default: all cores).
 */
public final class FmaPeak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 16;
    private static final int STEPS_PER_CALL = 1 << 16;
    /** Written by every thread, so that the JIT cannot drop the chains. */
    static volatile float sink;

    private FmaPeak() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length == 2 && args[0].equals("--threads") ? Integer.parseInt(args[1])
                : Runtime.getRuntime().availableProcessors();
        run(threads, 0.2);  // warm-up: the JIT compiles the chain loop
        double best = 0;
        for (int round = 0; round < 5; round++) best = Math.max(best, run(threads, 0.2));
        System.out.println(String.format(Locale.ROOT,
                "{\"workload\": \"fp32_fma_peak\", \"framework\": \"myelin\", \"threads\": %d, \"lanes\": %d, "
                + "\"gflops\": %.1f}", threads, S.length(), best));
    }

    /** GFLOP/s of all threads together over about {@code seconds}. */
    static double run(int threads, double seconds) throws Exception {
        long[] steps = new long[threads];
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        Thread[] workers = new Thread[threads];
        long budget = (long) (seconds * 1e9);
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                steps[id] = chains(budget);
            });
            workers[t].start();
        }
        long t0 = System.nanoTime();
        start.await();
        for (Thread w : workers) w.join();
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        long total = 0;
        for (long s : steps) total += s;
        return total * CHAINS * S.length() * 2.0 / elapsed * 1e-9;
    }

    /** Runs the FMA chains until {@code budgetNanos} pass; the number of steps (each CHAINS FMAs). */
    private static long chains(long budgetNanos) {
        long steps = 0, end = System.nanoTime() + budgetNanos;
        float sum = 0;
        do {
            sum += chainBlock(STEPS_PER_CALL);
            steps += STEPS_PER_CALL;
        } while (System.nanoTime() < end);
        sink = sum;
        return steps;
    }

    /**
     * {@code n} steps of CHAINS independent FMAs. A method of its own, called many times, so that
     * C2 compiles it whole; a long-running loop compiled on stack replacement ran at a third of
     * this speed here.
     */
    private static float chainBlock(int n) {
        FloatVector x = FloatVector.broadcast(S, 0.999999f), y = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0,
                b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0;
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            b0 = b0.fma(x, y);
            b1 = b1.fma(x, y);
            b2 = b2.fma(x, y);
            b3 = b3.fma(x, y);
            b4 = b4.fma(x, y);
            b5 = b5.fma(x, y);
            b6 = b6.fma(x, y);
            b7 = b7.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                .add(b0.add(b1).add(b2).add(b3).add(b4).add(b5).add(b6).add(b7)).reduceLanes(VectorOperators.ADD);
    }
}

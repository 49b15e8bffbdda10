package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.ops.ActivationOps;
import dev.myelin.ops.NormOps;
import dev.myelin.ops.composite.BatchNormComposite;
import dev.myelin.ops.composite.BiasActivationComposite;
import dev.myelin.ops.composite.LayerNormComposite;
import dev.myelin.ops.composite.SoftmaxComposite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A fused op's kernels against the core's composite of it, on the default backend (which must list
 * the op in fused()): forward and backward (or the inference forward), in interleaved rounds A B A B
 * so that a neighbour's load hits both sides alike; per side the best round and the spread of the
 * rounds. Decides which fused kernels a backend keeps (docs/benchmarks/*-fused-vs-composite-*.md).
 * Args: {@code [rounds] [seconds per side per round] [filter]}.
 */
public final class FusedVsComposite {
    private FusedVsComposite() {}

    /** One op at one shape: the fused entry point and the composite, as functions of x. */
    record Case(String name, int[] shape, boolean backward, Function<Tensor, Tensor> fused,
                Function<Tensor, Tensor> composite) {}

    static List<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (int[] s : new int[][] {{128, 512}, {256, 1024}}) {
            Tensor bias = param(s[1], 0.1).requiresGrad(true);
            for (boolean backward : new boolean[] {true, false}) {
                all.add(new Case("bias_relu", s, backward, x -> ActivationOps.biasActivation(Kind.RELU, 0, x, bias),
                        x -> BiasActivationComposite.biasActivation(Kind.RELU, 0, x, bias)));
            }
        }
        for (int[] s : new int[][] {{128, 10}, {256, 10}, {256, 1000}}) {
            all.add(new Case("softmax", s, true, x -> x.softmax(1), x -> SoftmaxComposite.softmax(x, 1, false)));
            all.add(new Case("log_softmax", s, true, x -> x.logSoftmax(1), x -> SoftmaxComposite.softmax(x, 1, true)));
        }
        for (int[] s : new int[][] {{128, 512}}) {
            int[] d = {s[1]};
            Tensor w = param(s[1], 1).requiresGrad(true), b = param(s[1], 0).requiresGrad(true);
            all.add(new Case("layer_norm", s, true, x -> NormOps.layerNorm(x, d, w, b, 1e-5),
                    x -> LayerNormComposite.layerNorm(x, d, w, b, 1e-5)));
        }
        for (int[] s : new int[][] {{128, 512}, {256, 1024}, {32, 16, 28, 28}, {64, 32, 28, 28}}) {
            int c = s[1];
            Tensor w = param(c, 1).requiresGrad(true), b = param(c, 0).requiresGrad(true);
            Tensor rm = param(c, 0), rv = param(c, 1);
            all.add(new Case("batch_norm_train", s, true,
                    x -> NormOps.batchNorm(x, rm, rv, w, b, true, 0.1, 1e-5),
                    x -> BatchNormComposite.batchNorm(x, rm, rv, w, b, true, 0.1, 1e-5)));
            all.add(new Case("batch_norm_eval", s, false,
                    x -> NormOps.batchNorm(x, rm, rv, w, b, false, 0.1, 1e-5),
                    x -> BatchNormComposite.batchNorm(x, rm, rv, w, b, false, 0.1, 1e-5)));
        }
        return all;
    }

    /** Parameters (and running statistics) of the cases; their gradients are cleared after each step. */
    private static final List<Tensor> PARAMS = new ArrayList<>();

    private static Tensor param(int n, double value) {
        Tensor p = MemoryScope.release(Tensor.randn(n).mul(0.1).add(value));
        PARAMS.add(p);
        return p;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 0.25;
        String filter = args.length > 2 ? args[2] : "";
        Backend be = Backends.getDefault();
        Myelin.manualSeed(0);
        System.out.printf(Locale.ROOT, "backend %s, fused %s, threads %s, %d rounds of %.2f s per side%n", be.name(),
                be.fused(), System.getProperty("myelin.cpu.threads", "all"), rounds, seconds);
        System.out.println("| op | shape | pass | fused best ms | fused median | composite best ms | composite median "
                + "| composite / fused |");
        System.out.println("|---|---|---|---:|---:|---:|---:|---:|");
        List<Case> cases = cases().stream()
                .filter(c -> (c.name() + Arrays.toString(c.shape())).contains(filter)).toList();
        int k = cases.size();
        Runnable[] a = new Runnable[k], b = new Runnable[k];
        int[] iters = new int[k];
        // Every case on both sides is warmed up (JIT) before any round is timed.
        for (int i = 0; i < k; i++) {
            Case c = cases.get(i);
            Tensor x = MemoryScope.release(Tensor.randn(c.shape()).requiresGrad(c.backward()));
            a[i] = step(c, c.fused(), x);
            b[i] = step(c, c.composite(), x);
            calibrate(b[i], seconds);
            iters[i] = calibrate(a[i], seconds);
        }
        // Rounds: each case fused then composite, the order flipped every other round.
        double[][] ta = new double[k][rounds], tb = new double[k][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < k; i++) {
                if (r % 2 == 0) {
                    ta[i][r] = time(a[i], iters[i]);
                    tb[i][r] = time(b[i], iters[i]);
                } else {
                    tb[i][r] = time(b[i], iters[i]);
                    ta[i][r] = time(a[i], iters[i]);
                }
            }
        }
        for (int i = 0; i < k; i++) {
            Case c = cases.get(i);
            double bestA = Arrays.stream(ta[i]).min().orElseThrow(), bestB = Arrays.stream(tb[i]).min().orElseThrow();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %.4f | %s | %.4f | %s | %.2f |%n", c.name(),
                    Arrays.toString(c.shape()), c.backward() ? "fwd+bwd" : "fwd", bestA, spread(ta[i]), bestB,
                    spread(tb[i]), bestB / bestA);
        }
    }

    private static Runnable step(Case c, Function<Tensor, Tensor> op, Tensor x) {
        Tensor[] upstream = {null};
        return () -> {
            try (var scope = MemoryScope.open()) {
                if (!c.backward()) {
                    try (var ng = GradMode.noGrad()) {
                        op.apply(x);
                    }
                    return;
                }
                Tensor y = op.apply(x);
                if (upstream[0] == null) upstream[0] = MemoryScope.release(Tensor.randn(y.shape()));
                y.backward(upstream[0]);
            }
            x.setGrad(null);
            for (Tensor p : PARAMS) p.setGrad(null);
        };
    }

    /** Iterations that take about {@code seconds}, after a second's warm-up (both JIT tiers). */
    private static int calibrate(Runnable r, double seconds) {
        long end = System.nanoTime() + 1_000_000_000L;
        int n = 0;
        while (System.nanoTime() < end || n < 20) {
            r.run();
            n++;
        }
        double ms = time(r, 10);
        return Math.max(5, (int) (seconds * 1e3 / ms));
    }

    /** Milliseconds per iteration over n iterations. */
    private static double time(Runnable r, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) r.run();
        return (System.nanoTime() - t0) / 1e6 / n;
    }

    /** The median round over the best, in percent above it (the worst rounds are a neighbour's load). */
    private static String spread(double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        return String.format(Locale.ROOT, "+%.0f%%", 100 * (s[s.length / 2] - s[0]) / s[0]);
    }
}

package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Losses.Pointwise;
import dev.myelin.backend.Optim;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.ops.composite.CompositeOptim;
import dev.myelin.random.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Each fused op's kernels against its composite on one backend (the CPU by default), to decide
 * which ops the backend lists in Backend.fused(). Both variants of an op run the same entry point
 * with the path forced (hence this class sits in the ops package), forward and backward for the
 * losses, one step over the MLP workload's parameters for the optimizers. Rounds interleave every
 * variant of every op; each round reports the median of its iterations, and the table the best
 * round and the spread of the rounds ((worst - best) / best), since the machine may be shared.
 *
 * <p>Usage: {@code FusedVsCompositeLoss [--rounds N] [--seconds S] [--backend cpu]}.
 */
public final class FusedVsCompositeLoss {
    private FusedVsCompositeLoss() {}

    /** One op: a name, a shape label, and one iteration given whether to take the fused path. */
    private record Op(String name, String shape, Consumer<Boolean> iteration) {}

    public static void main(String[] args) {
        int rounds = 7;
        double seconds = 0.3;
        String backendName = "cpu";
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--backend" -> backendName = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Backend backend = Backends.setDefault(backendName);
        List<Op> ops = ops(backend);
        double[][][] medians = new double[ops.size()][2][rounds];
        for (Op op : ops) for (boolean fused : new boolean[] {true, false}) warmUp(op, fused, backend);
        for (int r = 0; r < rounds; r++) {
            for (int o = 0; o < ops.size(); o++) {
                // Alternate which variant goes first, so that neither always follows the other.
                for (int v = 0; v < 2; v++) {
                    boolean fused = (v == 0) == (r % 2 == 0);
                    medians[o][fused ? 0 : 1][r] = time(ops.get(o), fused, backend, seconds);
                }
            }
            System.out.println("round " + (r + 1) + " done");
        }
        System.out.println();
        System.out.println("| op | shape | fused best ms (spread) | composite best ms (spread) | composite / fused |");
        System.out.println("|---|---|---|---|---|");
        for (int o = 0; o < ops.size(); o++) {
            double[] f = medians[o][0].clone(), c = medians[o][1].clone();
            Arrays.sort(f);
            Arrays.sort(c);
            System.out.println(String.format(Locale.ROOT, "| %s | %s | %.4f (%.0f%%) | %.4f (%.0f%%) | %.2fx |",
                    ops.get(o).name, ops.get(o).shape, f[0], 100 * (f[rounds - 1] - f[0]) / f[0], c[0],
                    100 * (c[rounds - 1] - c[0]) / c[0], c[0] / f[0]));
        }
    }

    /**
     * Runs a variant until the JIT has compiled it: 500 iterations and 1 s (at most 20 s). The
     * Vector API kernels are orders of magnitude slower until C2 compiles them.
     */
    private static void warmUp(Op op, boolean fused, Backend backend) {
        long start = System.nanoTime();
        for (int i = 0; (i < 500 || System.nanoTime() - start < 1e9) && System.nanoTime() - start < 20e9; i++) {
            op.iteration.accept(fused);
        }
        backend.synchronize();
    }

    /** The median of one variant's iterations over at least {@code seconds} (and 5 iterations), in ms. */
    private static double time(Op op, boolean fused, Backend backend, double seconds) {
        List<Double> ms = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (ms.size() < 5 || System.nanoTime() < end) {
            long start = System.nanoTime();
            op.iteration.accept(fused);
            backend.synchronize();
            ms.add((System.nanoTime() - start) / 1e6);
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static List<Op> ops(Backend backend) {
        Generator gen = new Generator(0);
        List<Op> ops = new ArrayList<>();
        for (int[] nc : new int[][] {{128, 10}, {256, 1000}}) {
            Tensor x = Creation.normal(backend, DType.FLOAT32, 0, 1, gen, nc);
            Tensor t = targets(backend, nc[0], nc[1]);
            ops.add(new Op("cross_entropy", Arrays.toString(nc), fused -> step(x, in ->
                    LossClassIndex.apply("cross_entropy", true, in, t, null, -100, Reduction.MEAN, 0, fused))));
            Tensor logp;
            try (var ng = dev.myelin.autograd.GradMode.noGrad()) {
                logp = x.logSoftmax(1);
            }
            ops.add(new Op("nll_loss", Arrays.toString(nc), fused -> step(logp, in ->
                    LossClassIndex.apply("nll_loss", false, in, t, null, -100, Reduction.MEAN, 0, fused))));
        }
        int[] shape = {128, 512};
        Tensor x = Creation.normal(backend, DType.FLOAT32, 0, 1, gen, shape);
        Tensor y = Creation.normal(backend, DType.FLOAT32, 0, 1, gen, shape);
        Tensor p = Creation.uniform(backend, DType.FLOAT32, 0, 1, gen, shape);
        ops.add(new Op("mse_loss", Arrays.toString(shape), fused -> step(x, in ->
                LossPointwise.apply("mse_loss", Pointwise.MSE, 0, in, y, null, null, Reduction.MEAN, true, () -> {},
                        fused))));
        ops.add(new Op("bce_with_logits", Arrays.toString(shape), fused -> step(x, in ->
                LossPointwise.apply("binary_cross_entropy_with_logits", Pointwise.BCE_WITH_LOGITS, 0, in, p, null, null,
                        Reduction.MEAN, false, () -> {}, fused))));
        // For the record, beside the two above: BCE has its own float lanes in the CPU kernel, Huber none.
        Tensor q = Creation.uniform(backend, DType.FLOAT32, 0.05, 0.95, gen, shape);
        ops.add(new Op("binary_cross_entropy", Arrays.toString(shape), fused -> step(q, in ->
                LossPointwise.apply("binary_cross_entropy", Pointwise.BCE, 0, in, p, null, null, Reduction.MEAN, false,
                        () -> {}, fused))));
        ops.add(new Op("huber_loss", Arrays.toString(shape), fused -> step(x, in ->
                LossPointwise.apply("huber_loss", Pointwise.HUBER, 1, in, y, null, null, Reduction.MEAN, true, () -> {},
                        fused))));
        List<Tensor[]> params = mlpParameters(backend, gen, 3);
        List<Tensor[]> moments = mlpParameters(backend, gen, 1);
        long[] step = {0};
        ops.add(new Op("adam", "MLP params (1.86M)", fused -> {
            Optim o = fused ? backend.optim() : CompositeOptim.INSTANCE;
            step[0]++;
            for (Tensor[] s : params) o.adam(s[0], s[1], s[2], s[3], null, 1e-3, 0.9, 0.999, 1e-8, 0, false, step[0]);
        }));
        ops.add(new Op("sgd momentum 0.9", "MLP params (1.86M)", fused -> {
            Optim o = fused ? backend.optim() : CompositeOptim.INSTANCE;
            for (Tensor[] s : moments) o.sgd(s[0], s[1], s[2], 1e-3, 0.9, 0, false, 0, false);
        }));
        return ops;
    }

    /** Forward and backward of a scalar loss of a fresh leaf copy of x; temporaries freed. */
    private static void step(Tensor x, java.util.function.Function<Tensor, Tensor> loss) {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor leaf = x.detach().requiresGrad(true);
            loss.apply(leaf).backward();
            leaf.setGrad(null);
        }
    }

    private static Tensor targets(Backend backend, int n, int classes) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = (i * 7919L) % classes;
        return Creation.fromHost(backend, DType.INT64, v, n, n);
    }

    /**
     * The MLP workload's parameters (BenchModels.mlp: Linear 784-1024, BatchNorm1d 1024, Linear
     * 1024-1024, BatchNorm1d 1024, Linear 1024-10), each as {param, grad, state...}.
     */
    private static List<Tensor[]> mlpParameters(Backend backend, Generator gen, int states) {
        int[][] shapes = {{1024, 784}, {1024}, {1024}, {1024}, {1024, 1024}, {1024}, {1024}, {1024}, {10, 1024}, {10}};
        List<Tensor[]> out = new ArrayList<>();
        for (int[] s : shapes) {
            Tensor[] t = new Tensor[2 + states];
            t[0] = Creation.normal(backend, DType.FLOAT32, 0, 0.05, gen, s);
            t[1] = Creation.normal(backend, DType.FLOAT32, 0, 0.01, gen, s);
            for (int k = 0; k < states; k++) t[2 + k] = Creation.full(backend, 0, DType.FLOAT32, s);
            out.add(t);
        }
        return out;
    }
}

package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Forward-only timings of single ops on [256, 1024] (one line "name median_ms" each), for
 * bench/op_survey.py to set beside PyTorch's. All ops run in one JVM, one after another, after a
 * long warm-up each: a mix of ops is how a model uses them, and it shows kernels that C2 compiles
 * badly once it has seen other ops (see FloatLoops). A survey to find gaps, not a benchmark table.
 */
public final class OpSurvey {
    private OpSurvey() {}

    private static final int WARMUP = 1500, TIMED = 200;

    static Map<String, Supplier<Tensor>> ops() {
        Myelin.manualSeed(0);
        Tensor x = Tensor.randn(256, 1024), y = Tensor.randn(256, 1024), b = Tensor.randn(1024);
        Tensor p = Tensor.rand(256, 1024).mul(0.98).add(0.01), w = Tensor.ones(1024), z = Tensor.zeros(1024);
        Map<String, Supplier<Tensor>> ops = new LinkedHashMap<>();
        ops.put("add", () -> x.add(y));
        ops.put("add_bcast", () -> x.add(b));
        ops.put("mul", () -> x.mul(y));
        ops.put("div", () -> x.div(y));
        ops.put("exp", x::exp);
        ops.put("log", p::log);
        ops.put("sqrt", p::sqrt);
        ops.put("pow2", () -> x.pow(2));
        ops.put("clamp", () -> x.clamp(-0.5, 0.5));
        ops.put("sum_all", x::sum);
        ops.put("sum_dim0", () -> x.sum(0, false));
        ops.put("sum_dim1", () -> x.sum(1, false));
        ops.put("mean_dim1", () -> x.mean(1, false));
        ops.put("max_dim1", () -> x.max(1, false));
        ops.put("softmax", () -> x.softmax(1));
        ops.put("log_softmax", () -> F.logSoftmax(x, 1));
        ops.put("transpose_contig", () -> x.t().contiguous());
        ops.put("layer_norm", () -> F.layerNorm(x, new int[] {1024}, w, z, 1e-5));
        ops.put("bce", () -> F.binaryCrossEntropy(p, p, null, Reduction.MEAN));
        ops.put("mse", () -> F.mseLoss(x, y));
        ops.put("sigmoid", x::sigmoid);
        ops.put("tanh", x::tanh);
        ops.put("gelu", () -> F.gelu(x));
        return ops;
    }

    public static void main(String[] args) {
        Myelin.useBackend(args.length > 0 ? args[0] : "cpu");
        for (var op : ops().entrySet()) System.out.printf("%s %.4f%n", op.getKey(), medianMs(op.getValue()));
    }

    private static double medianMs(Supplier<Tensor> op) {
        for (int i = 0; i < WARMUP; i++) {
            try (var scope = MemoryScope.open()) {
                op.get();
            }
        }
        double[] ms = new double[TIMED];
        for (int i = 0; i < TIMED; i++) {
            long t0 = System.nanoTime();
            try (var scope = MemoryScope.open()) {
                op.get();
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[TIMED / 2];
    }
}

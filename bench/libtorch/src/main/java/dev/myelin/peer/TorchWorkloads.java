package dev.myelin.peer;

import dev.myelin.peer.TorchModels.Dense;
import dev.myelin.peer.TorchModels.Model;
import dev.myelin.peer.TorchModels.Norm;
import dev.myelin.peer.TorchModels.Parameters;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.TensorVector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.bytedeco.pytorch.global.torch.cross_entropy_loss;
import static org.bytedeco.pytorch.global.torch.dropout;
import static org.bytedeco.pytorch.global.torch.gelu;
import static org.bytedeco.pytorch.global.torch.manual_seed;
import static org.bytedeco.pytorch.global.torch.max_pool2d;
import static org.bytedeco.pytorch.global.torch.mm;
import static org.bytedeco.pytorch.global.torch.randint;
import static org.bytedeco.pytorch.global.torch.randn;
import static org.bytedeco.pytorch.global.torch.relu;

/** bench/torch_reference.py's workloads, by name, built only when selected. */
final class TorchWorkloads {
    private TorchWorkloads() {}

    /** One workload: what a timed iteration runs, and what its rate is counted in. */
    record Work(String name, String shape, Runnable iteration, double flops, int samples) {}

    static Map<String, Supplier<Work>> all() {
        Map<String, Supplier<Work>> all = new LinkedHashMap<>();
        for (int n : new int[] {256, 512, 1024, 2048}) {
            all.put("sgemm_" + n, () -> gemm("sgemm_" + n, n + "x" + n + "x" + n, n, n, n, false, false));
        }
        shaped(all, 256, 1024, 784, false, true);
        shaped(all, 1024, 1024, 256, true, false);
        shaped(all, 256, 1024, 1024, false, false);
        all.put("mlp_train_step", () -> trainStep("mlp_train_step", TorchModels.mlp(1024, 1024), 256, 784));
        all.put("mlp_eval_forward", () -> evalForward("mlp_eval_forward", TorchModels.mlp(1024, 1024), 256, 784));
        all.put("cnn_train_step", () -> trainStep("cnn_train_step", TorchModels.cnn(), 128, 1, 28, 28));
        all.put("linear_relu_fwd_bwd", () -> {
            Parameters p = new Parameters();
            Dense dense = Dense.of(p, 1024, 1024);
            return opStep("linear_relu_fwd_bwd", x -> relu(dense.apply(x)), p.all, 256, 1024);
        });
        all.put("bn1d_fwd_bwd", () -> norm("bn1d_fwd_bwd", 1024, 256, 1024));
        all.put("bn2d_fwd_bwd", () -> norm("bn2d_fwd_bwd", 32, 64, 32, 28, 28));
        all.put("dropout_fwd_bwd", () -> opStep("dropout_fwd_bwd", x -> dropout(x, 0.5, true), List.of(), 256, 1024));
        all.put("gelu_fwd_bwd", () -> opStep("gelu_fwd_bwd", x -> gelu(x), List.of(), 256, 1024));
        long[] two = {2, 2}, none = {0, 0}, one = {1, 1};
        all.put("maxpool2d_fwd_bwd", () -> opStep("maxpool2d_fwd_bwd", x -> max_pool2d(x, two, two, none, one, false),
                List.of(), 128, 32, 28, 28));
        all.put("cross_entropy_fwd_bwd", () -> {
            Tensor y = labels(256);
            return opStep("cross_entropy_fwd_bwd", x -> cross_entropy_loss(x, y), List.of(), 256, 10);
        });
        return all;
    }

    private static void shaped(Map<String, Supplier<Work>> all, int m, int n, int k, boolean transA, boolean transB) {
        String ops = (transA ? "t" : "n") + (transB ? "t" : "n");
        String name = "sgemm_" + m + "x" + n + "x" + k + "_" + ops;
        all.put(name, () -> gemm(name, m + "x" + n + "x" + k + " " + ops, m, n, k, transA, transB));
    }

    /** A transposed operand is a view, as in a training step. */
    private static Work gemm(String name, String shape, int m, int n, int k, boolean transA, boolean transB) {
        Tensor a = transA ? randn(k, m).t() : randn(m, k);
        Tensor b = transB ? randn(n, k).t() : randn(k, n);
        return new Work(name, shape, () -> mm(a, b), 2.0 * m * n * k, 0);
    }

    private static Tensor labels(long n) {
        manual_seed(0);
        return randint(10L, new long[] {n});
    }

    /** Cross-entropy, backward, SGD (lr 0.05, momentum 0.9, Nesterov, weight decay 5e-4), zero_grad. */
    private static Work trainStep(String name, Model model, long... shape) {
        SGDOptions options = new SGDOptions(0.05);
        options.momentum().put(0.9);
        options.nesterov().put(true);
        options.weight_decay().put(5e-4);
        SGD sgd = new SGD(new TensorVector(model.parameters().toArray(new Tensor[0])), options);
        Tensor x = randn(shape), y = labels(shape[0]);
        return new Work(name, describe(shape), () -> {
            cross_entropy_loss(model.forward(x, true), y).backward();
            sgd.step();
            sgd.zero_grad(true);
        }, 0, (int) shape[0]);
    }

    private static Work evalForward(String name, Model model, long... shape) {
        Tensor x = randn(shape);
        return new Work(name, describe(shape), () -> {
            try (NoGradGuard noGrad = new NoGradGuard()) {
                model.forward(x, false);
            }
        }, 0, (int) shape[0]);
    }

    private static Work norm(String name, long channels, long... shape) {
        Parameters p = new Parameters();
        Norm norm = Norm.of(p, channels);
        return opStep(name, x -> norm.apply(x, true), p.all, shape);
    }

    /** Forward and backward of one op, the upstream gradient shaped as its output, grads reset after. */
    private static Work opStep(String name, UnaryOperator<Tensor> op, List<Tensor> parameters, long... shape) {
        manual_seed(0);
        Tensor x = randn(shape);
        x.set_requires_grad(true);
        Tensor upstream;
        try (NoGradGuard noGrad = new NoGradGuard()) {
            upstream = randn(op.apply(x).sizes().vec().get());
        }
        List<Tensor> withGrad = new ArrayList<>(parameters);
        withGrad.add(x);
        return new Work(name, Arrays.toString(shape), () -> {
            Tensor out = op.apply(x);
            if (out.numel() == 1) {
                out.backward();
            } else {
                out.backward(upstream, new BoolOptional(), false, new TensorArrayRefOptional());
            }
            for (Tensor t : withGrad) t.mutable_grad().reset();
        }, 0, (int) shape[0]);
    }

    private static String describe(long[] shape) {
        return "batch " + shape[0] + ", input " + Arrays.toString(shape);
    }
}

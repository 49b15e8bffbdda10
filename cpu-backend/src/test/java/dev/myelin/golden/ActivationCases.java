package dev.myelin.golden;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * relu, leaky_relu, sigmoid, tanh, silu, gelu, softmax, log_softmax: x, grad_out -> y, grad_x,
 * through F.
 */
final class ActivationCases {
    private ActivationCases() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("relu", c -> run(c, F::relu));
        ops.put("sigmoid", c -> run(c, F::sigmoid));
        ops.put("tanh", c -> run(c, F::tanh));
        ops.put("silu", c -> run(c, F::silu));
        ops.put("leaky_relu", c -> {
            double slope = c.params().number("negative_slope", 0.01);
            return run(c, x -> F.leakyRelu(x, slope));
        });
        ops.put("gelu", c -> {
            String approximate = c.params().string("approximate", "none");
            return run(c, x -> F.gelu(x, approximate));
        });
        ops.put("softmax", c -> {
            Integer dim = c.params().integerOrNull("dim");
            return run(c, x -> F.softmax(x, dim != null ? dim : implicitDim(x)));
        });
        ops.put("log_softmax", c -> {
            Integer dim = c.params().integerOrNull("dim");
            return run(c, x -> F.logSoftmax(x, dim != null ? dim : implicitDim(x)));
        });
    }

    /** y = f(x), then backward from grad_out. */
    private static GoldenOutputs run(GoldenCase c, UnaryOperator<Tensor> f) {
        Tensor x = c.leaf("x");
        Tensor y = f.apply(x);
        y.backward(c.gradOut(y));
        return new GoldenOutputs().put("y", y).put("grad_x", x.grad());
    }

    /** PyTorch's legacy choice when softmax's dim is None (torch.nn.functional._get_softmax_dim). */
    private static int implicitDim(Tensor x) {
        int rank = x.dim();
        return rank == 0 || rank == 1 || rank == 3 ? 0 : 1;
    }
}

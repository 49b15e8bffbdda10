package dev.myelin.golden;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.nn.functional.F;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/** batch_norm and layer_norm through F. */
final class NormCases {
    private NormCases() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("batch_norm", NormCases::batchNorm);
        ops.put("layer_norm", NormCases::layerNorm);
    }

    /**
     * {@code passes} forwards on the same x from the given running statistics (momentum null:
     * the cumulative average, momentum 1/t on pass t); y and the gradients are the last pass's;
     * y_eval_after is the eval-mode output with the final running statistics. Without affine
     * there is no weight or bias; with affine and none given, PyTorch's initial ones and zeros.
     */
    private static GoldenOutputs batchNorm(GoldenCase c) {
        boolean training = c.params().bool("training", false);
        Double momentum = c.params().numberOrNull("momentum");
        double eps = c.params().number("eps", 1e-5);
        boolean affine = c.params().bool("affine", true);
        int passes = c.params().integer("passes", 1);
        if (passes < 1) fail("parameter 'passes' must be at least 1, got " + passes);
        Tensor x = c.leaf("x");
        Tensor runningMean = c.inputOrNull("running_mean");
        Tensor runningVar = c.inputOrNull("running_var");
        Tensor weight = null, bias = null;
        if (affine) {
            int channels = x.size(1);
            weight = c.hasInput("weight") ? c.leaf("weight") : Tensor.ones(x.dtype(), channels).requiresGrad(true);
            bias = c.hasInput("bias") ? c.leaf("bias") : Tensor.zeros(x.dtype(), channels).requiresGrad(true);
        }
        try (var noGrad = GradMode.noGrad()) {
            for (int pass = 1; pass < passes; pass++) {
                F.batchNorm(x, runningMean, runningVar, weight, bias, training, momentumOf(momentum, pass), eps);
            }
        }
        Tensor y = F.batchNorm(x, runningMean, runningVar, weight, bias, training, momentumOf(momentum, passes), eps);
        y.backward(c.gradOut(y));
        GoldenOutputs out = new GoldenOutputs().put("y", y).put("grad_x", x.grad());
        if (affine) out.put("grad_weight", weight.grad()).put("grad_bias", bias.grad());
        if (runningMean != null && runningVar != null) {
            out.put("running_mean", runningMean).put("running_var", runningVar);
            try (var noGrad = GradMode.noGrad()) {
                out.put("y_eval_after", F.batchNorm(x, runningMean, runningVar, weight, bias, false, 0, eps));
            }
        }
        return out;
    }

    private static double momentumOf(Double momentum, int pass) {
        return momentum != null ? momentum : 1.0 / pass;
    }

    private static GoldenOutputs layerNorm(GoldenCase c) {
        int[] normalizedShape = c.params().ints("normalized_shape");
        double eps = c.params().number("eps", 1e-5);
        Tensor x = c.leaf("x");
        Tensor weight = c.leafOrNull("weight");
        Tensor bias = c.leafOrNull("bias");
        Tensor y = F.layerNorm(x, normalizedShape, weight, bias, eps);
        y.backward(c.gradOut(y));
        GoldenOutputs out = new GoldenOutputs().put("y", y).put("grad_x", x.grad());
        if (weight != null) out.put("grad_weight", weight.grad());
        if (bias != null) out.put("grad_bias", bias.grad());
        return out;
    }
}

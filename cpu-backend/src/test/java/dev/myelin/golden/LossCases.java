package dev.myelin.golden;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;

import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The losses of torch.nn.functional through F: input, target, grad_out -> loss, grad_input.
 * grad_out defaults to ones (1 for a reduced loss).
 */
final class LossCases {
    private LossCases() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("mse_loss", c -> loss(c, false, F::mseLoss));
        ops.put("l1_loss", c -> loss(c, false, F::l1Loss));
        ops.put("smooth_l1_loss", c -> {
            double beta = c.params().number("beta", 1.0);
            return loss(c, false, (in, t, r) -> F.smoothL1Loss(in, t, r, beta));
        });
        ops.put("huber_loss", c -> {
            double delta = c.params().number("delta", 1.0);
            return loss(c, false, (in, t, r) -> F.huberLoss(in, t, r, delta));
        });
        ops.put("nll_loss", c -> loss(c, true, (in, t, r) -> F.nllLoss(in, t, null, F.DEFAULT_IGNORE_INDEX, r)));
        ops.put("binary_cross_entropy", c -> loss(c, false, (in, t, r) -> F.binaryCrossEntropy(in, t, null, r)));
        ops.put("binary_cross_entropy_with_logits", c -> {
            Tensor posWeight = c.params().tensorOrNull("pos_weight");
            return loss(c, false, (in, t, r) -> F.binaryCrossEntropyWithLogits(in, t, null, posWeight, r));
        });
        ops.put("kl_div", c -> {
            boolean logTarget = c.params().bool("log_target", false);
            return loss(c, false, (in, t, r) -> F.klDiv(in, t, r, logTarget));
        });
        ops.put("cross_entropy", LossCases::crossEntropy);
    }

    interface Loss {
        Tensor apply(Tensor input, Tensor target, Reduction reduction);
    }

    /** target holds class indices (int64) when indexTarget, else float64 values. */
    static GoldenOutputs loss(GoldenCase c, boolean indexTarget, Loss loss) {
        Reduction reduction = reduction(c);
        Tensor input = c.leaf("input");
        Tensor target = indexTarget ? c.longInput("target") : c.input("target");
        Tensor value = loss.apply(input, target, reduction);
        value.backward(c.gradOut(value));
        return new GoldenOutputs().put("loss", value).put("grad_input", input.grad());
    }

    /** target_kind "indices" (int64 class indices, the default) or "probabilities" (float64, input's shape). */
    private static GoldenOutputs crossEntropy(GoldenCase c) {
        Tensor weight = c.params().tensorOrNull("weight");
        long ignoreIndex = c.params().integer("ignore_index", (int) F.DEFAULT_IGNORE_INDEX);
        double labelSmoothing = c.params().number("label_smoothing", 0.0);
        String kind = c.params().string("target_kind", "indices");
        if (!kind.equals("indices") && !kind.equals("probabilities")) {
            fail("parameter 'target_kind' must be \"indices\" or \"probabilities\", got \"" + kind + "\"");
        }
        return loss(c, kind.equals("indices"),
                (in, t, r) -> F.crossEntropy(in, t, weight, ignoreIndex, r, labelSmoothing));
    }

    /** PyTorch's reduction argument; "mean" when absent. */
    static Reduction reduction(GoldenCase c) {
        String r = c.params().string("reduction", "mean");
        return switch (r) {
            case "none", "mean", "sum", "batchmean" -> Reduction.valueOf(r.toUpperCase(Locale.ROOT));
            default -> fail("parameter 'reduction' must be none, mean, sum or batchmean, got \"" + r + "\"");
        };
    }
}

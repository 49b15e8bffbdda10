package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Losses.Pointwise;
import dev.myelin.nn.functional.Reduction;

import java.util.Arrays;

/**
 * Losses with PyTorch 1.13's semantics, on the Losses kernels. Each returns a zero-dimensional
 * tensor for SUM and MEAN and the per-element (or per-sample) losses for NONE.
 *
 * <p>Where Myelin is stricter than PyTorch, it says so: a target whose shape differs from the
 * input's is an error for every loss (PyTorch broadcasts it, with a warning, for mse/l1/smooth_l1/
 * huber/kl_div); an empty batch with MEAN or BATCHMEAN is an error (PyTorch returns NaN); a NaN in
 * a floating target is an error (PyTorch returns NaN). Input and floating target must have the
 * same dtype.
 *
 * <p>The NaN check, like BCE's check that its input lies in [0, 1], reads values back to the
 * host: a reduced loss is read, and the target searched only when the loss is NaN (a NaN target,
 * or a BCE input outside [0, 1], always makes it NaN); with NONE the target is summed first.
 *
 * <p>Gradients: class weights, {@code weight} and {@code posWeight} are constants. The target gets
 * a gradient for mse/l1/smooth_l1/huber (it is -d/d input) and for cross-entropy with
 * probabilities; for the other losses it is a constant.
 */
public final class LossOps {
    private LossOps() {}

    /** torch.nn.functional.mse_loss: {@code (input - target)^2}. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        return difference("mse_loss", Pointwise.MSE, 0, input, target, reduction);
    }

    /** torch.nn.functional.l1_loss: {@code |input - target|}; the gradient at 0 is 0. */
    public static Tensor l1(Tensor input, Tensor target, Reduction reduction) {
        return difference("l1_loss", Pointwise.L1, 0, input, target, reduction);
    }

    /**
     * torch.nn.functional.smooth_l1_loss: {@code 0.5 z^2 / beta} for {@code z = |input - target| < beta},
     * else {@code z - 0.5 beta}; beta = 0 is l1_loss. A negative beta is an error.
     */
    public static Tensor smoothL1(Tensor input, Tensor target, Reduction reduction, double beta) {
        Checks.finiteNonNegative("smooth_l1_loss", "'beta'", beta);
        return difference("smooth_l1_loss", Pointwise.SMOOTH_L1, beta, input, target, reduction);
    }

    /**
     * torch.nn.functional.huber_loss: {@code 0.5 z^2} for {@code z = |input - target| < delta}, else
     * {@code delta (z - 0.5 delta)}. delta must be positive.
     */
    public static Tensor huber(Tensor input, Tensor target, Reduction reduction, double delta) {
        Checks.finitePositive("huber_loss", "'delta'", delta);
        return difference("huber_loss", Pointwise.HUBER, delta, input, target, reduction);
    }

    private static Tensor difference(String op, Pointwise kind, double param, Tensor input, Tensor target,
                                     Reduction reduction) {
        LossChecks.sameShapeFloating(op, input, target);
        LossChecks.reduction(op, reduction, false);
        LossChecks.notEmpty(op, input, input.numel(), reduction);
        return LossPointwise.apply(op, kind, param, input, target, null, null, reduction, true,
                () -> LossChecks.noNaN(op, "target", target));
    }

    /**
     * torch.nn.functional.cross_entropy. input: logits [N, C], [N, C, d1, d2, ...] or unbatched [C].
     * target: class indices (int32/int64) of shape [N] / [N, d1, ...] / [] , or class probabilities with
     * input's shape and dtype (chosen by shape, as PyTorch). weight: [C] or null. Per sample, with
     * indices: {@code (1 - ls) * w[y] * -logp[y] + ls / C * sum_c w[c] * -logp[c]}, 0 where
     * {@code y == ignoreIndex}; MEAN divides the sum by the sum of {@code w[y]} over non-ignored
     * samples (NaN when every sample is ignored, as PyTorch). With probabilities: see
     * {@link LossSoftTarget}; ignoreIndex must then be negative. labelSmoothing is in [0, 1].
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        String op = "cross_entropy";
        checkClassInput(op, input);
        LossChecks.reduction(op, reduction, false);
        LossChecks.labelSmoothing(op, labelSmoothing);
        int classes = input.size(input.dim() == 1 ? 0 : 1);
        Tensor w = LossChecks.classWeight(op, weight, classes, input);
        if (Arrays.equals(input.shape(), target.shape())) {
            if (!target.dtype().isFloating()) {
                throw new IllegalArgumentException(op + ": 'target' has input's shape " + Shape.str(target.shape())
                        + " so it must hold class probabilities (float32/float64), got " + target.dtype()
                        + "; class indices have shape [N, d...] without the class dimension");
            }
            LossChecks.sameShapeFloating(op, input, target);
            if (ignoreIndex >= 0) {
                throw new IllegalArgumentException(op + ": 'ignore_index' " + ignoreIndex + " is not supported for "
                        + "class-probability targets of shape " + Shape.str(target.shape()));
            }
            LossChecks.notEmpty(op, input, input.numel(), reduction);
            if (reduction == Reduction.NONE) LossChecks.noNaN(op, "target", target);
            Tensor out = LossSoftTarget.apply(input, target, w, reduction, labelSmoothing);
            if (reduction != Reduction.NONE && Double.isNaN(out.item())) LossChecks.noNaN(op, "target", target);
            return out;
        }
        LossClassIndex.checkTarget(op, input, target);
        return LossClassIndex.apply(op, true, input, target, w, ignoreIndex, reduction, labelSmoothing);
    }

    /**
     * torch.nn.functional.nll_loss. input: log-probabilities [N, C], [N, C, d...] or [C]; target: class
     * indices (int32/int64) [N], [N, d...] or []; weight [C] or null. Per sample
     * {@code -w[y] * input[y]}, 0 where {@code y == ignoreIndex}; MEAN divides by the sum of w[y].
     */
    public static Tensor nll(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        String op = "nll_loss";
        checkClassInput(op, input);
        LossChecks.reduction(op, reduction, false);
        Tensor w = LossChecks.classWeight(op, weight, input.size(input.dim() == 1 ? 0 : 1), input);
        LossClassIndex.checkTarget(op, input, target);
        return LossClassIndex.apply(op, false, input, target, w, ignoreIndex, reduction, 0);
    }

    private static void checkClassInput(String op, Tensor input) {
        ElementwiseOps.requireFloating(op, "input", input);
        if (input.dim() == 0) {
            throw new IllegalArgumentException(op + ": 'input' must have a class dimension ([C], [N, C] or "
                    + "[N, C, d...]), got shape []");
        }
    }

    /**
     * torch.nn.functional.binary_cross_entropy: {@code -w (t log x + (1 - t) log(1 - x))} with each log
     * clamped at -100. input holds probabilities: a value outside [0, 1] (or NaN) is an error, as in
     * PyTorch. weight (broadcast to input's shape) may be null.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        String op = "binary_cross_entropy";
        LossChecks.sameShapeFloating(op, input, target);
        LossChecks.reduction(op, reduction, false);
        LossChecks.notEmpty(op, input, input.numel(), reduction);
        Tensor w = weight == null ? null : LossChecks.broadcastWeight(op, "weight", weight, input);
        return LossPointwise.apply(op, Pointwise.BCE, 0, input, target, w, null, reduction, false, () -> {
            LossChecks.noNaN(op, "target", target);
            checkProbabilities(op, input);
        });
    }

    private static void checkProbabilities(String op, Tensor input) {
        if (input.numel() == 0) return;
        double min, max;
        try (var ng = dev.myelin.autograd.GradMode.noGrad()) {
            min = input.min().item();
            max = input.max().item();
        }
        if (!(min >= 0 && max <= 1)) {
            throw new IllegalArgumentException(op + ": every element of 'input' (shape " + Shape.str(input.shape())
                    + ") must be a probability in [0, 1], found values in [" + min + ", " + max + "]");
        }
    }

    /**
     * torch.nn.functional.binary_cross_entropy_with_logits, numerically stable:
     * {@code w ((1 - t) x + (1 + (pw - 1) t) log(1 + e^-x))}. weight and posWeight are broadcast to
     * input's shape (posWeight [C] weighs the positives of each class of the last dimension); either
     * may be null.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        String op = "binary_cross_entropy_with_logits";
        LossChecks.sameShapeFloating(op, input, target);
        LossChecks.reduction(op, reduction, false);
        LossChecks.notEmpty(op, input, input.numel(), reduction);
        Tensor w = weight == null ? null : LossChecks.broadcastWeight(op, "weight", weight, input);
        Tensor pw = posWeight == null ? null : LossChecks.broadcastWeight(op, "pos_weight", posWeight, input);
        return LossPointwise.apply(op, Pointwise.BCE_WITH_LOGITS, 0, input, target, w, pw, reduction, false,
                () -> LossChecks.noNaN(op, "target", target));
    }

    /**
     * torch.nn.functional.kl_div. input: log-probabilities; target: probabilities, or log-probabilities
     * when logTarget. Pointwise {@code xlogy(t, t) - t * input} (0 where t = 0), or
     * {@code exp(t) * (t - input)}. MEAN averages over every element (PyTorch warns that this is not
     * the KL divergence); BATCHMEAN divides the sum by input.size(0), the mathematically correct mean.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        String op = "kl_div";
        LossChecks.sameShapeFloating(op, input, target);
        LossChecks.reduction(op, reduction, true);
        LossChecks.notEmpty(op, input, input.numel(), reduction);
        Pointwise kind = logTarget ? Pointwise.KL_DIV_LOG_TARGET : Pointwise.KL_DIV;
        return LossPointwise.apply(op, kind, 0, input, target, null, null, reduction, false,
                () -> LossChecks.noNaN(op, "target", target));
    }
}

package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Fused;
import dev.myelin.backend.Losses;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.ops.composite.ClassIndexLosses;

import java.util.Arrays;

/**
 * Cross-entropy (from logits) and NLL (from log-probabilities) against class indices: as one
 * autograd op on the fused kernels where the backend lists {@link Fused#CROSS_ENTROPY} (or
 * {@link Fused#NLL}), else as the composite {@link ClassIndexLosses}. The input [N, C, d...] is
 * seen as [N, C, S] (S = the product of d..., 1 for [N, C]; an unbatched [C] is [1, C, 1]) and the
 * target as [N, S]. 'mean' divides the summed losses by the sum of the targets' class weights (the
 * count of non-ignored samples without weights), as PyTorch.
 */
final class LossClassIndex {
    private LossClassIndex() {}

    /** Validates the target's dtype and shape against input [N, C, d...] or [C]. */
    static void checkTarget(String op, Tensor input, Tensor target) {
        ElementwiseOps.sameBackend(op, input, target);
        if (target.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": 'target' of class indices must be int32 or int64, got "
                    + target.dtype() + " with shape " + Shape.str(target.shape()) + " for 'input' of shape "
                    + Shape.str(input.shape()) + (op.equals("cross_entropy")
                    ? "; class probabilities must have input's shape" : ""));
        }
        int[] expected = indexShape(input.shape());
        if (!Arrays.equals(expected, target.shape())) {
            throw new IllegalArgumentException(op + ": 'target' of class indices must have shape "
                    + Shape.str(expected) + " for 'input' of shape " + Shape.str(input.shape()) + ", got "
                    + Shape.str(target.shape()));
        }
    }

    /** input's shape without the class dimension. */
    private static int[] indexShape(int[] inputShape) {
        if (inputShape.length == 1) return new int[0];
        int[] s = new int[inputShape.length - 1];
        s[0] = inputShape[0];
        System.arraycopy(inputShape, 2, s, 1, inputShape.length - 2);
        return s;
    }

    /**
     * @param logits true for cross_entropy (input = logits), false for nll_loss (input = log-probabilities)
     * @param weight per-class weight [C] of input's dtype, or null
     */
    static Tensor apply(String op, boolean logits, Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                        Reduction reduction, double labelSmoothing) {
        boolean fused = input.backend().fused().contains(logits ? Fused.CROSS_ENTROPY : Fused.NLL);
        return apply(op, logits, input, target, weight, ignoreIndex, reduction, labelSmoothing, fused);
    }

    /** As above, on the fused kernels or the composite as {@code fused} says (tests compare the two). */
    static Tensor apply(String op, boolean logits, Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                        Reduction reduction, double labelSmoothing, boolean fused) {
        int[] shape = input.shape();
        int classes = shape.length == 1 ? shape[0] : shape[1];
        int n = shape.length == 1 ? 1 : shape[0];
        int spatial = (int) (Shape.numel(indexShape(shape)) / Math.max(1, n));
        if (classes == 0) {
            throw new IllegalArgumentException(op + ": 'input' of shape " + Shape.str(shape) + " has no classes");
        }
        LossChecks.notEmpty(op, input, (long) n * spatial, reduction);
        if (!fused) {
            Tensor[] lw = logits
                    ? ClassIndexLosses.crossEntropy(op, scores(input, n, classes, spatial), target.reshape(n, spatial),
                            weight, ignoreIndex, labelSmoothing)
                    : ClassIndexLosses.nll(op, scores(input, n, classes, spatial), target.reshape(n, spatial), weight,
                            ignoreIndex);
            return switch (reduction) {
                case NONE -> lw[0].reshape(target.shape());
                case SUM -> lw[0].sum();
                case MEAN -> lw[0].sum().div(lw[1].sum());
                case BATCHMEAN -> throw new IllegalStateException(op + ": BATCHMEAN is refused before this point");
            };
        }
        Losses kernels = input.backend().losses();
        Tensor x3, t2;
        try (var ng = GradMode.noGrad()) {
            x3 = scores(input, n, classes, spatial);
            t2 = target.reshape(n, spatial);
        }
        Tensor loss = Tensor.empty(input.backend(), input.dtype(), n, spatial);
        Tensor sampleWeight = Tensor.empty(input.backend(), input.dtype(), n, spatial);
        if (logits) {
            kernels.crossEntropy(x3, t2, weight, ignoreIndex, labelSmoothing, loss, sampleWeight);
        } else {
            kernels.nll(x3, t2, weight, ignoreIndex, loss, sampleWeight);
        }
        Tensor out, denom;
        try (var ng = GradMode.noGrad()) {
            denom = reduction == Reduction.MEAN ? sampleWeight.sum() : null;
            out = switch (reduction) {
                case NONE -> loss.reshape(target.shape());
                case SUM -> loss.sum();
                case MEAN -> loss.sum().div(denom);
                case BATCHMEAN -> throw new IllegalStateException(op + ": BATCHMEAN is refused before this point");
            };
        }
        // x3 and t2 are views of input and target; nll's backward does not read its input.
        Tensor[] saved = {logits ? input : null, target, weight};
        return Autograd.record(op, out, new Tensor[] {input}, saved, g -> {
            Tensor perSample = switch (reduction) {
                case NONE -> g.reshape(n, spatial);
                case SUM -> g.expand(n, spatial);
                default -> g.div(denom).expand(n, spatial);
            };
            Tensor gx = Tensor.empty(g.backend(), g.dtype(), n, classes, spatial);
            if (logits) {
                kernels.crossEntropyBackward(x3, t2, weight, ignoreIndex, labelSmoothing, perSample.contiguous(), gx);
            } else {
                kernels.nllBackward(t2, weight, ignoreIndex, perSample.contiguous(), gx);
            }
            return new Tensor[] {gx.reshape(shape)};
        });
    }

    /** [N, C] and [C] as [N, C, 1] views (the kernels take any strides); [N, C, d...] reshaped. */
    private static Tensor scores(Tensor input, int n, int classes, int spatial) {
        return switch (input.dim()) {
            case 1 -> input.unsqueeze(0).unsqueeze(2);
            case 2 -> input.unsqueeze(2);
            default -> input.reshape(n, classes, spatial);
        };
    }
}

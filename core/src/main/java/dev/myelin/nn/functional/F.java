package dev.myelin.nn.functional;

import dev.myelin.Tensor;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.ops.ActivationOps;
import dev.myelin.ops.Checks;
import dev.myelin.ops.ConvOps;
import dev.myelin.ops.DropoutOps;
import dev.myelin.ops.LossOps;
import dev.myelin.ops.MatmulOps;
import dev.myelin.ops.NormOps;
import dev.myelin.ops.PoolOps;
import dev.myelin.random.Generator;

/**
 * The functional API, Myelin's {@code torch.nn.functional}: stateless ops with PyTorch's names,
 * arguments, defaults and semantics. Every function is differentiable where PyTorch's is.
 */
public final class F {
    private F() {}

    /** Class index PyTorch uses for "ignore nothing". */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    // ------------------------------------------------------------------ linear and activations

    /** {@code x @ weight^T + bias}; x [..., in], weight [out, in], bias [out] or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return MatmulOps.linear(x, weight, bias);
    }

    public static Tensor relu(Tensor x) {
        return ActivationOps.relu(x);
    }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return ActivationOps.leakyRelu(x, negativeSlope);
    }

    /** negative_slope = 0.01, PyTorch's default. */
    public static Tensor leakyRelu(Tensor x) {
        return leakyRelu(x, 0.01);
    }

    public static Tensor sigmoid(Tensor x) {
        return ActivationOps.sigmoid(x);
    }

    public static Tensor tanh(Tensor x) {
        return ActivationOps.tanh(x);
    }

    /** Exact GELU (erf form). */
    public static Tensor gelu(Tensor x) {
        return ActivationOps.gelu(x, "none");
    }

    /** approximate: "none" or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) {
        return ActivationOps.gelu(x, approximate);
    }

    public static Tensor silu(Tensor x) {
        return ActivationOps.silu(x);
    }

    /** {@code x > 0 ? x : alpha * (e^x - 1)} (torch.nn.functional.elu), alpha 1. */
    public static Tensor elu(Tensor x) {
        return elu(x, 1.0);
    }

    /** {@code x > 0 ? x : alpha * (e^x - 1)}; its gradient from x as PyTorch's: 1 above 0, alpha * e^x at and below. */
    public static Tensor elu(Tensor x, double alpha) {
        return ActivationOps.activation(Kind.ELU, Checks.finite("elu", "alpha", alpha), x);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return ActivationOps.softmax(x, dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return ActivationOps.logSoftmax(x, dim);
    }

    // ------------------------------------------------------------------ dropout

    /** Inverted dropout: zeroes with probability p and scales kept values by 1/(1-p); identity unless training. */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return DropoutOps.dropout(x, p, training, null);
    }

    /**
     * Dropout whose mask comes from {@code generator} (PyTorch's {@code generator=}; null for the
     * default one): the mask depends on that generator's seed and position alone, on every backend.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator generator) {
        return DropoutOps.dropout(x, p, training, generator);
    }

    /** Zeroes whole channels of [N, C, H, W] (or [C, H, W]) input. */
    public static Tensor dropout2d(Tensor x, double p, boolean training) {
        return DropoutOps.dropout2d(x, p, training, null);
    }

    /** Channel dropout whose mask comes from {@code generator} (null for the default one). */
    public static Tensor dropout2d(Tensor x, double p, boolean training, Generator generator) {
        return DropoutOps.dropout2d(x, p, training, generator);
    }

    /** Dropout with an explicit mask (1 = kept, 0 = dropped), scaled by 1/(1-p). */
    public static Tensor dropoutWithMask(Tensor x, Tensor mask, double p) {
        return DropoutOps.dropoutWithMask(x, mask, p);
    }

    // ------------------------------------------------------------------ normalization

    /**
     * torch.nn.functional.batch_norm. runningMean/runningVar [C] may be null (then training must
     * use batch statistics); weight and bias [C] may be null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return NormOps.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** Group normalization of x [N, C, *] over numGroups groups of channels (torch.nn.functional.group_norm). */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        return NormOps.groupNorm(x, numGroups, weight, bias, eps);
    }

    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return NormOps.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    // ------------------------------------------------------------------ convolution and pooling

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                int groups) {
        return ConvOps.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1);
    }

    /** stride null means the kernel size (PyTorch's default). */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
        return PoolOps.maxPool2d(x, kernel, stride, padding, ceilMode);
    }

    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, new int[] {kernel, kernel}, null, new int[] {0, 0}, false);
    }

    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return PoolOps.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, new int[] {kernel, kernel}, null, new int[] {0, 0}, false, true);
    }

    // ------------------------------------------------------------------ losses

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return LossOps.mse(input, target, reduction);
    }

    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return LossOps.l1(input, target, reduction);
    }

    /** beta = 1.0 is PyTorch's default. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return LossOps.smoothL1(input, target, reduction, beta);
    }

    /** delta = 1.0 is PyTorch's default. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        return LossOps.huber(input, target, reduction, delta);
    }

    /** Mean cross-entropy of logits [N, C] against class indices [N]. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0.0);
    }

    /**
     * torch.nn.functional.cross_entropy. input: logits [N, C] or [N, C, d...]; target: class indices
     * (int32/int64) [N] or [N, d...], or class probabilities with input's shape. weight [C] or null.
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        return LossOps.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    /** input: log-probabilities [N, C] or [N, C, d...]; target: class indices. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return LossOps.nll(input, target, weight, ignoreIndex, reduction);
    }

    /** input: probabilities in [0, 1]; weight (broadcast to input) or null. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return LossOps.binaryCrossEntropy(input, target, weight, reduction);
    }

    /** input: logits; weight and posWeight (broadcast over the last dim, as PyTorch) may be null. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        return LossOps.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }

    /** input: log-probabilities; target: probabilities (or log-probabilities when logTarget). */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        return LossOps.klDiv(input, target, reduction, logTarget);
    }
}

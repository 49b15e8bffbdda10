package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * Loss kernels. Reductions ('mean', 'sum') are done by the core from the per-element values
 * these kernels return, so every loss has PyTorch's 'none' layout here.
 *
 * <p>These are fused ops: the core calls {@link #pointwise}/{@link #pointwiseBackward} only when
 * the backend lists {@link Fused#POINTWISE_LOSS} in {@link Backend#fused()}, the cross-entropy
 * methods only with {@link Fused#CROSS_ENTROPY}, the NLL methods only with {@link Fused#NLL};
 * otherwise it composes the loss from the primitives (dev.myelin.ops.composite). A backend that
 * lists none of them may throw from every method.
 */
public interface Losses {
    /**
     * Elementwise losses l(input, target). {@code param} is beta for SMOOTH_L1 and delta for HUBER.
     * BCE takes probabilities (log clamped at -100 as PyTorch); BCE_WITH_LOGITS takes logits and an
     * optional {@code posWeight} view broadcast to input's shape (else null). KL_DIV is
     * {@code target * (log(target) - input)} (0 where target = 0); KL_DIV_LOG_TARGET is
     * {@code exp(target) * (target - input)}. input and target have the same shape; target may be strided.
     */
    enum Pointwise { MSE, L1, SMOOTH_L1, HUBER, BCE, BCE_WITH_LOGITS, KL_DIV, KL_DIV_LOG_TARGET }

    void pointwise(Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight, Tensor out);

    /** {@code gradInput = gradOut * d l / d input}; gradOut has input's shape. */
    void pointwiseBackward(Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight,
                           Tensor gradOut, Tensor gradInput);

    /**
     * Cross-entropy from logits [N, C, S] with class-index targets [N, S] (int32 or int64).
     * Per sample: {@code loss = (1 - ls) * w[y] * -logp[y] + ls * sum_c w[c] * -logp[c] / C}
     * (w = 1 when {@code weight} is null), and {@code sampleWeight = w[y]}; both are 0 where
     * {@code y == ignoreIndex}. A target outside [0, C) other than ignoreIndex is an
     * IllegalArgumentException naming cross_entropy.
     */
    void crossEntropy(Tensor logits, Tensor target, Tensor weight, long ignoreIndex, double labelSmoothing,
                      Tensor loss, Tensor sampleWeight);

    /** Gradient of {@link #crossEntropy} w.r.t. the logits given d total / d loss per sample [N, S]. */
    void crossEntropyBackward(Tensor logits, Tensor target, Tensor weight, long ignoreIndex,
                              double labelSmoothing, Tensor gradLoss, Tensor gradLogits);

    /** NLL from log-probabilities [N, C, S]: {@code loss = -w[y] * input[y]}, sampleWeight as above. */
    void nll(Tensor logProbs, Tensor target, Tensor weight, long ignoreIndex, Tensor loss, Tensor sampleWeight);

    void nllBackward(Tensor target, Tensor weight, long ignoreIndex, Tensor gradLoss, Tensor gradLogProbs);
}

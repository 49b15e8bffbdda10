package dev.myelin.ops.composite;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Fused;

/**
 * Cross-entropy from logits and NLL from log-probabilities against class indices, composed from
 * differentiable Tensor ops and gather: the defaults of {@link Fused#CROSS_ENTROPY} and
 * {@link Fused#NLL}, with gradients from autograd. Scores are [N, C, S] (any view) and targets
 * [N, S] (int32 or int64), as the Losses kernels take them; each returns {@code {loss, sampleWeight}},
 * both [N, S]: per sample {@code (1 - ls) w[y] (-logp[y]) + ls / C sum_c w[c] (-logp[c])} and
 * {@code w[y]} (w = 1 without class weights), both 0 where {@code y == ignoreIndex}. sampleWeight
 * is a constant ('mean' divides by its sum, as PyTorch).
 */
public final class ClassIndexLosses {
    private ClassIndexLosses() {}

    /**
     * Cross-entropy: log-softmax over C as {@code x - max - log(sum(exp(x - max)))} (the max a
     * constant: its gradient cancels), then the NLL terms with label smoothing ls.
     */
    public static Tensor[] crossEntropy(String op, Tensor scores, Tensor target, Tensor weight, long ignoreIndex,
                                        double labelSmoothing) {
        Tensor max;
        try (var ng = GradMode.noGrad()) {
            max = scores.detach().max(1, true);
        }
        Tensor shifted = scores.sub(max);
        Tensor logp = shifted.sub(shifted.exp().sum(1, true).log());
        return terms(op, logp, target, weight, ignoreIndex, labelSmoothing);
    }

    /** NLL: the terms above with ls = 0 on the given log-probabilities. */
    public static Tensor[] nll(String op, Tensor logProbs, Tensor target, Tensor weight, long ignoreIndex) {
        return terms(op, logProbs, target, weight, ignoreIndex, 0);
    }

    private static Tensor[] terms(String op, Tensor logp, Tensor target, Tensor weight, long ignoreIndex, double ls) {
        int n = logp.size(0), classes = logp.size(1), spatial = logp.size(2);
        Tensor safe, valid;
        try (var ng = GradMode.noGrad()) {
            Tensor keep = target.ne(ignoreIndex);
            safe = target.mul(keep);  // ignored samples read class 0, then count 0
            valid = keep.to(logp.dtype());
        }
        Tensor picked;
        try {
            picked = logp.gather(1, safe.unsqueeze(1)).squeeze(1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": a target is neither a class in [0, " + classes
                    + ") nor ignore_index " + ignoreIndex + " (" + e.getMessage() + ")", e);
        }
        Tensor classWeight, sampleWeight, zeros;
        try (var ng = GradMode.noGrad()) {
            classWeight = weight == null ? null : weight.gather(0, safe.reshape(-1)).reshape(n, spatial);
            sampleWeight = classWeight == null ? valid : classWeight.mul(valid);
            zeros = Tensor.zerosLike(valid);
        }
        Tensor loss = classWeight == null ? picked.neg() : picked.mul(classWeight).neg();
        if (ls > 0) {
            Tensor all = weight == null ? logp : logp.mul(weight.reshape(1, classes, 1));
            loss = loss.mul(1 - ls).add(all.sum(1, false).neg().mul(ls / classes));
        }
        // Masked with where, not a product: an ignored sample gets a gradient of exactly 0 even when
        // the upstream one is infinite ('mean' over no sample divides by 0), as PyTorch's.
        loss = Tensor.where(valid, loss, zeros);
        return new Tensor[] {loss, sampleWeight};
    }
}

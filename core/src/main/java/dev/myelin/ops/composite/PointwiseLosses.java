package dev.myelin.ops.composite;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Fused;
import dev.myelin.backend.Losses.Pointwise;

/**
 * The elementwise losses composed from differentiable Tensor ops: the default of
 * {@link Fused#POINTWISE_LOSS}, with gradients from autograd. Values are those of the fused
 * kernels' formulas ({@link Pointwise}); so are the gradients, except BCE's at an input of exactly
 * 0 or 1, where the composite's is NaN (the log's clamp cuts the gradient) and PyTorch's kernel
 * divides by {@code max(x (1 - x), 1e-12)}.
 */
public final class PointwiseLosses {
    private PointwiseLosses() {}

    private static final double INF = Double.POSITIVE_INFINITY;

    /**
     * The per-element loss l(input, target), PyTorch's 'none' layout. target takes part in the
     * graph as given (detach it where it is a constant); posWeight (BCE_WITH_LOGITS only, or null)
     * has input's shape and is a constant.
     */
    public static Tensor perElement(Pointwise kind, double param, Tensor input, Tensor target, Tensor posWeight) {
        return switch (kind) {
            case MSE -> input.sub(target).square();
            case L1 -> input.sub(target).abs();
            case SMOOTH_L1 -> param == 0 ? input.sub(target).abs() : smoothL1(input.sub(target).abs(), param);
            case HUBER -> huber(input.sub(target).abs(), param);
            case BCE -> bce(input, target);
            case BCE_WITH_LOGITS -> bceWithLogits(input, target, posWeight);
            case KL_DIV -> klDiv(input, target);
            case KL_DIV_LOG_TARGET -> target.exp().mul(target.sub(input));
        };
    }

    /** {@code 0.5 z^2 / beta} below beta, else {@code z - 0.5 beta}. */
    private static Tensor smoothL1(Tensor z, double beta) {
        return Tensor.where(z.lt(beta), z.square().mul(0.5).div(beta), z.sub(0.5 * beta));
    }

    /** {@code 0.5 z^2} below delta, else {@code delta (z - 0.5 delta)}. */
    private static Tensor huber(Tensor z, double delta) {
        return Tensor.where(z.lt(delta), z.square().mul(0.5), z.sub(0.5 * delta).mul(delta));
    }

    /** {@code (t - 1) max(log(1 - x), -100) - t max(log x, -100)}. */
    private static Tensor bce(Tensor x, Tensor t) {
        Tensor logX = x.log().clamp(-100, INF);
        Tensor log1mX = x.neg().log1p().clamp(-100, INF);
        return t.sub(1).mul(log1mX).sub(t.mul(logX));
    }

    /**
     * {@code (1 - t) x + (1 + (pw - 1) t) (log(e^-m + e^(-x-m)) + m)} with {@code m = max(-x, 0)}, as
     * PyTorch 1.13 composes it: m is a constant, so the gradient is the exact
     * {@code -sigmoid(-x)} of the softplus everywhere (0 included).
     */
    private static Tensor bceWithLogits(Tensor x, Tensor t, Tensor posWeight) {
        Tensor m;
        try (var ng = GradMode.noGrad()) {
            m = x.detach().neg().clamp(0, INF);
        }
        Tensor softplus = m.neg().exp().add(x.neg().sub(m).exp()).log().add(m);
        Tensor logWeight = posWeight == null ? null : posWeight.sub(1).mul(t).add(1);
        return t.rsub(1).mul(x).add(logWeight == null ? softplus : logWeight.mul(softplus));
    }

    /** {@code t log t - t x}, with {@code t log t = 0} where t = 0 (torch.xlogy). */
    private static Tensor klDiv(Tensor x, Tensor t) {
        Tensor tLogT;
        try (var ng = GradMode.noGrad()) {
            tLogT = t.mul(Tensor.where(t.eq(0), Tensor.onesLike(t), t).log());
        }
        return tLogT.sub(t.mul(x));
    }
}

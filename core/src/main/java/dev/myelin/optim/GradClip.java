package dev.myelin.optim;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;

import java.util.List;

/**
 * Gradient clipping in place, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_. Parameters without a gradient are
 * skipped.
 */
public final class GradClip {
    private GradClip() {
    }

    /** {@link #clipGradNorm(List, double, double)} with the 2-norm. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2);
    }

    /**
     * Scales all gradients together so that their joint {@code normType}-norm (as if concatenated
     * into one vector; {@code Double.POSITIVE_INFINITY} for the max norm) is at most {@code maxNorm}:
     * each is multiplied by {@code min(1, maxNorm / (total + 1e-6))}.
     *
     * @return the total norm before clipping (NaN or infinite when a gradient is)
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clip_grad_norm_: max_norm must be >= 0, got " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clip_grad_norm_: norm_type must be > 0, got " + normType);
        }
        try (var ignored = GradMode.noGrad(); MemoryScope scope = MemoryScope.open()) {
            double total = 0;
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g == null) continue;
                if (Double.isInfinite(normType)) total = Math.max(total, g.abs().max().item());
                else total += g.abs().pow(normType).sum().item();
            }
            if (!Double.isInfinite(normType)) total = Math.pow(total, 1 / normType);
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) {
                for (Tensor p : params) if (p.grad() != null) p.grad().copyFrom(p.grad().mul(coef));
            }
            return total;
        }
    }

    /** Clamps every gradient element into [-clipValue, clipValue]. */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clip_grad_value_: clip_value must be >= 0, got " + clipValue);
        }
        try (var ignored = GradMode.noGrad(); MemoryScope scope = MemoryScope.open()) {
            for (Tensor p : params) {
                if (p.grad() != null) p.grad().copyFrom(p.grad().clamp(-clipValue, clipValue));
            }
        }
    }
}

package dev.myelin.ops;

import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Fused;
import dev.myelin.backend.Losses;
import dev.myelin.backend.Losses.Pointwise;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.ops.composite.PointwiseLosses;

/**
 * An elementwise loss: on a backend that lists {@link Fused#POINTWISE_LOSS}, one autograd op
 * (the kernel's per-element values, times an optional weight, reduced; the backward builds the
 * per-element upstream gradient, g / denominator broadcast times the weight, and calls the
 * backward kernel once); elsewhere the composite {@link PointwiseLosses}, weighted and reduced
 * with differentiable ops.
 */
final class LossPointwise {
    private LossPointwise() {}

    /**
     * @param weight    already broadcast to input's shape (or null); a constant
     * @param posWeight already broadcast to input's shape (or null); a constant
     * @param targetGrad whether target gets the gradient -d loss / d input (true where l depends on
     *                   input - target only); otherwise target is a constant
     * @param dataChecks throws on bad values (a NaN target, ...), each of which makes the loss NaN: so
     *                   a reduced loss runs them only when it is NaN, and 'none' runs them first
     */
    static Tensor apply(String op, Pointwise kind, double param, Tensor input, Tensor target, Tensor weight,
                        Tensor posWeight, Reduction reduction, boolean targetGrad, Runnable dataChecks) {
        boolean fused = input.backend().fused().contains(Fused.POINTWISE_LOSS);
        return apply(op, kind, param, input, target, weight, posWeight, reduction, targetGrad, dataChecks, fused);
    }

    /** As above, on the fused kernels or the composite as {@code fused} says (tests compare the two). */
    static Tensor apply(String op, Pointwise kind, double param, Tensor input, Tensor target, Tensor weight,
                        Tensor posWeight, Reduction reduction, boolean targetGrad, Runnable dataChecks, boolean fused) {
        if (reduction == Reduction.NONE) dataChecks.run();
        if (!fused) return composite(kind, param, input, target, weight, posWeight, reduction, targetGrad, dataChecks);
        int[] shape = input.shape();
        long count = input.numel();
        double denom = switch (reduction) {
            case NONE, SUM -> 1;
            case MEAN -> count;
            case BATCHMEAN -> input.dim() == 0 ? 1 : input.size(0);
        };
        Losses kernels = input.backend().losses();
        Tensor x = input.contiguous();
        Tensor t = target.detach();
        Tensor per = Tensor.empty(input.backend(), input.dtype(), shape);
        kernels.pointwise(kind, param, x, t, posWeight, per);
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            if (weight != null) per = per.mul(weight);
            out = switch (reduction) {
                case NONE -> per;
                case SUM -> per.sum();
                case MEAN, BATCHMEAN -> per.sum().div(denom);
            };
        }
        if (reduction != Reduction.NONE && Double.isNaN(out.item())) dataChecks.run();
        Tensor[] inputs = targetGrad ? new Tensor[] {input, target} : new Tensor[] {input};
        // x and t are input and target or views of them; weight and posWeight are views of the caller's.
        Tensor[] saved = {input, target, weight, posWeight};
        return Autograd.record(op, out, inputs, saved, g -> {
            Tensor perElement = reduction == Reduction.NONE ? g : (denom == 1 ? g : g.div(denom)).expand(shape);
            if (weight != null) perElement = perElement.mul(weight);
            Tensor gx = Tensor.empty(g.backend(), g.dtype(), shape);
            kernels.pointwiseBackward(kind, param, x, t, posWeight, perElement.contiguous(), gx);
            if (!targetGrad) return new Tensor[] {gx};
            return new Tensor[] {input.requiresGrad() ? gx : null, target.requiresGrad() ? gx.neg() : null};
        });
    }

    private static Tensor composite(Pointwise kind, double param, Tensor input, Tensor target, Tensor weight,
                                    Tensor posWeight, Reduction reduction, boolean targetGrad, Runnable dataChecks) {
        Tensor per = PointwiseLosses.perElement(kind, param, input, targetGrad ? target : target.detach(), posWeight);
        if (weight != null) per = per.mul(weight);
        Tensor out = switch (reduction) {
            case NONE -> per;
            case SUM -> per.sum();
            case MEAN -> per.sum().div((double) input.numel());
            case BATCHMEAN -> per.sum().div((double) (input.dim() == 0 ? 1 : input.size(0)));
        };
        if (reduction != Reduction.NONE && Double.isNaN(out.item())) dataChecks.run();
        return out;
    }
}

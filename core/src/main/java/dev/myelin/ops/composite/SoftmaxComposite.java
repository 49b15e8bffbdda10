package dev.myelin.ops.composite;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;

/**
 * Softmax and log-softmax composed from reductions and elementwise ops; autograd gives the
 * gradients. What {@link dev.myelin.ops.ActivationOps#softmax} runs on a backend that does not list
 * {@link dev.myelin.backend.Fused#SOFTMAX}, and the reference its fused kernels are tested against.
 */
public final class SoftmaxComposite {
    private SoftmaxComposite() {}

    /**
     * {@code exp(x - max) / sum(exp(x - max))} along dim, or {@code x - max - log(sum(exp(x - max)))}
     * with {@code log}. The max is a constant shift (softmax does not change under one), so it is taken
     * without grad: large logits do not overflow and the graph stays short. A 0-d x is one element.
     */
    public static Tensor softmax(Tensor x, int dim, boolean log) {
        String op = log ? "log_softmax" : "softmax";
        if (x.dim() == 0) return softmax(x.reshape(1), 0, log).reshape();
        int d = Shape.dim(op, dim, x.dim());
        // Nothing to normalize; mul keeps the result in the graph (the max of nothing would throw).
        if (x.numel() == 0) return x.mul(1);
        Tensor max;
        try (var ng = GradMode.noGrad()) {
            max = x.max(d, true);
        }
        Tensor shifted = x.sub(max);
        Tensor exp = shifted.exp();
        Tensor sum = exp.sum(d, true);
        return log ? shifted.sub(sum.log()) : exp.div(sum);
    }
}

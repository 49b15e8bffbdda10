package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * Fused in-place optimizer updates, one pass over a parameter, with PyTorch's update rules
 * (torch.optim, single-tensor implementations). State tensors have the parameter's shape.
 *
 * <p>A fused op: the optimizers call this family only when the backend lists
 * {@link Fused#OPTIMIZER} in {@link Backend#fused()}; otherwise they run the composite updates
 * (dev.myelin.ops.composite.CompositeOptim), which implement this interface from the primitives.
 * A backend that does not list it may throw from every method.
 */
public interface Optim {
    /**
     * SGD. momentumBuf is null when momentum is 0; on the first step the buffer is set to the
     * (weight-decayed) gradient, later {@code buf = momentum * buf + (1 - dampening) * g}.
     */
    void sgd(Tensor param, Tensor grad, Tensor momentumBuf, double lr, double momentum, double dampening,
             boolean nesterov, double weightDecay, boolean firstStep);

    /** RMSprop. gradAvg is non-null iff centered; momentumBuf non-null iff momentum > 0. */
    void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuf,
                 double lr, double alpha, double eps, double weightDecay, double momentum);

    /** Adagrad with the step's decayed rate {@code clr = lr / (1 + (step - 1) * lrDecay)} given. */
    void adagrad(Tensor param, Tensor grad, Tensor stateSum, double clr, double weightDecay, double eps);

    /**
     * Adam (decoupledWeightDecay = false) or AdamW (true). {@code step} counts from 1;
     * maxExpAvgSq is non-null iff amsgrad.
     */
    void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr,
              double beta1, double beta2, double eps, double weightDecay, boolean decoupledWeightDecay, long step);
}

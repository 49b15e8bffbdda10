package dev.myelin.ops.composite;

import dev.myelin.Tensor;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.ops.ActivationOps;

/**
 * The bias and activation of a linear layer as two ops, the add and the activation; autograd gives
 * the gradients. What {@link ActivationOps#biasActivation} runs on a backend that does not list
 * {@link dev.myelin.backend.Fused#BIAS_ACTIVATION}.
 */
public final class BiasActivationComposite {
    private BiasActivationComposite() {}

    /** {@code f(x + bias)} for x [..., C] and bias [C]: the sum is rounded to the dtype before f sees it. */
    public static Tensor biasActivation(Kind kind, double param, Tensor x, Tensor bias) {
        return ActivationOps.activation(kind, param, x.add(bias));
    }
}

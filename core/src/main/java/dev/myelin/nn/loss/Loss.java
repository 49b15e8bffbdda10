package dev.myelin.nn.loss;

import dev.myelin.Tensor;

/**
 * A loss function of a prediction and a target (PyTorch's loss modules): returns a scalar
 * tensor, or per-element losses with {@link dev.myelin.nn.functional.Reduction#NONE}.
 */
@FunctionalInterface
public interface Loss {
    Tensor forward(Tensor input, Tensor target);
}

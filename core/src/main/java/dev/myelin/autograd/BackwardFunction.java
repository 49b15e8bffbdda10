package dev.myelin.autograd;

import dev.myelin.Tensor;

/**
 * Maps the gradient of an op's output to one gradient per input (null for an input that needs
 * none). Runs with grad mode off; it may return gradients of any broadcast-compatible shape only if
 * it reduced them itself: the engine checks that each has its input's shape.
 */
@FunctionalInterface
public interface BackwardFunction {
    Tensor[] apply(Tensor gradOutput);
}

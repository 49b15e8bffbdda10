package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * Activation functions and softmax, each with its one-pass backward. All tensors contiguous.
 * {@link #forward} and {@link #backward} are primitives; the bias and softmax methods are fused
 * ops, called only on a backend that lists {@link Fused#BIAS_ACTIVATION} or {@link Fused#SOFTMAX}
 * in {@link Backend#fused()} (elsewhere the core composes them; their defaults throw).
 */
public interface Activations {
    /** {@code param} is the negative slope for LEAKY_RELU and unused otherwise. GELU is the exact erf form. */
    enum Kind { RELU, LEAKY_RELU, SIGMOID, TANH, GELU, GELU_TANH, SILU }

    void forward(Kind kind, double param, Tensor x, Tensor y);

    /**
     * {@code gradX = gradY * f'(x)}. Both x and its output y are passed so a kernel can use whichever
     * is cheaper (sigmoid and tanh use y; relu, leaky relu, gelu and silu use x). Keep to this split:
     * autograd checks only these tensors (and relu's y) for in-place writes before the backward.
     */
    void backward(Kind kind, double param, Tensor x, Tensor y, Tensor gradY, Tensor gradX);

    /**
     * The bias and activation of a linear layer in one pass: {@code y = f(x + bias)} with x and y
     * [rows, C] and bias [C] added to every row. The values are exactly those of the add followed
     * by {@link #forward} (the sum is rounded to the dtype before f sees it). Called only if the
     * backend lists {@link Fused#BIAS_ACTIVATION}.
     */
    default void biasForward(Kind kind, double param, Tensor x, Tensor bias, Tensor y) {
        throw notFused("biasForward", Fused.BIAS_ACTIVATION);
    }

    /**
     * Backward of {@link #biasForward} with respect to x: {@code gradX = gradY * f'(x + bias)}, the
     * values of {@link #backward} given the materialized sum. (The bias gradient is the column sum
     * of gradX, which the core takes with the reduction kernels.) Called only if the backend lists
     * {@link Fused#BIAS_ACTIVATION}.
     */
    default void biasBackward(Kind kind, double param, Tensor x, Tensor bias, Tensor y, Tensor gradY, Tensor gradX) {
        throw notFused("biasBackward", Fused.BIAS_ACTIVATION);
    }

    /**
     * Softmax (or log-softmax) of x along {@code dim}, x viewed as [outer, x.size(dim), inner]. Called
     * only if the backend lists {@link Fused#SOFTMAX}.
     */
    default void softmax(Tensor x, int dim, boolean log, Tensor y) {
        throw notFused(log ? "logSoftmax" : "softmax", Fused.SOFTMAX);
    }

    /** Backward of {@link #softmax} from its output y. Called only if the backend lists {@link Fused#SOFTMAX}. */
    default void softmaxBackward(Tensor y, Tensor gradY, int dim, boolean log, Tensor gradX) {
        throw notFused(log ? "logSoftmaxBackward" : "softmaxBackward", Fused.SOFTMAX);
    }

    private UnsupportedOperationException notFused(String method, Fused op) {
        return new UnsupportedOperationException(method + ": " + getClass().getName() + " has no kernel for "
                + "Fused." + op + "; the core runs the composite unless the backend lists " + op + " in fused()");
    }
}

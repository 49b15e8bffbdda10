package dev.myelin.backend;

import dev.myelin.Tensor;

/** Activation functions and softmax, each with its one-pass backward. All tensors contiguous. */
public interface Activations {
    /** {@code param} is the negative slope for LEAKY_RELU and unused otherwise. GELU is the exact erf form. */
    enum Kind { RELU, LEAKY_RELU, SIGMOID, TANH, GELU, GELU_TANH, SILU }

    void forward(Kind kind, double param, Tensor x, Tensor y);

    /**
     * {@code gradX = gradY * f'(x)}. Both x and its output y are passed so a kernel can use whichever
     * is cheaper (sigmoid and tanh use y; relu, gelu and silu use x).
     */
    void backward(Kind kind, double param, Tensor x, Tensor y, Tensor gradY, Tensor gradX);

    /** Softmax (or log-softmax) of x along {@code dim}, x viewed as [outer, x.size(dim), inner]. */
    void softmax(Tensor x, int dim, boolean log, Tensor y);

    /** Backward of {@link #softmax} from its output y. */
    void softmaxBackward(Tensor y, Tensor gradY, int dim, boolean log, Tensor gradX);
}

package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * Activation functions and softmax, each with its one-pass backward. All tensors contiguous.
 * {@link #forward} and {@link #backward} are primitives; the bias and softmax methods are fused
 * ops, called only on a backend that lists {@link Fused#BIAS_ACTIVATION} or {@link Fused#SOFTMAX}
 * in {@link Backend#fused()} (elsewhere the core composes them; their defaults throw).
 */
public interface Activations {
    /**
     * The activation functions, each with what its backward reads and its relative cost. {@code param}
     * is the negative slope for LEAKY_RELU, alpha for ELU, and unused otherwise. GELU is the exact erf
     * form. A new kind is a constant here plus its formulas in each backend's scalar math (the CPU's
     * ActivationMath, the CUDA backend's activation_math.cuh, whose list gives the constants in this order).
     */
    enum Kind {
        // Relu's kernels read x, but PyTorch saves its output, so autograd checks both.
        RELU(Reads.BOTH, 1),
        LEAKY_RELU(Reads.INPUT, 1),
        SIGMOID(Reads.OUTPUT, 4),
        TANH(Reads.OUTPUT, 4),
        GELU(Reads.INPUT, 30),
        GELU_TANH(Reads.INPUT, 30),
        SILU(Reads.INPUT, 4),
        ELU(Reads.INPUT, 4);

        /** What {@link Activations#backward} reads: autograd saves it and checks it for in-place writes. */
        public enum Reads { INPUT, OUTPUT, BOTH }

        private final Reads reads;
        private final int cost;

        Kind(Reads reads, int cost) {
            this.reads = reads;
            this.cost = cost;
        }

        /** Whether the backward reads the input x (all but sigmoid and tanh). */
        public boolean readsInput() {
            return reads != Reads.OUTPUT;
        }

        /** Whether the backward reads the output y (sigmoid, tanh, and relu as PyTorch saves it). */
        public boolean readsOutput() {
            return reads != Reads.INPUT;
        }

        /** Work per element relative to relu (1): an exp or tanh about 4, an erf about 30; splits work over threads. */
        public int cost() {
            return cost;
        }

        /**
         * Whether a backend that lists {@link Fused#ACTIVATION_DERIVATIVE} computes f'(x) in the forward,
         * for the backward to multiply by: GELU, whose backward would compute its erf, the bulk of the
         * forward, again. Autograd then keeps f'(x) instead of x (the same memory) and a training step
         * computes one erf per element instead of two.
         */
        public boolean keepsDerivative() {
            return this == GELU;
        }
    }

    void forward(Kind kind, double param, Tensor x, Tensor y);

    /**
     * {@code gradX = gradY * f'(x)}. Both x and its output y are passed so a kernel can use whichever
     * is cheaper, as {@link Kind#readsInput} and {@link Kind#readsOutput} say. Keep to this split:
     * autograd checks only these tensors for in-place writes before the backward.
     */
    void backward(Kind kind, double param, Tensor x, Tensor y, Tensor gradY, Tensor gradX);

    /**
     * {@code y = f(x)} and {@code dydx = f'(x)} in one pass, the values of {@link #forward} and of
     * {@link #backward} with a gradient of ones. Called only if the backend lists
     * {@link Fused#ACTIVATION_DERIVATIVE}, and only for the kinds that {@link Kind#keepsDerivative}.
     */
    default void forwardWithDerivative(Kind kind, double param, Tensor x, Tensor y, Tensor dydx) {
        throw notFused("forwardWithDerivative", Fused.ACTIVATION_DERIVATIVE);
    }

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

package dev.myelin.backend;

import dev.myelin.Tensor;

/**
 * Elementwise kernels. Inputs may be arbitrary strided views (a stride of 0 marks a broadcast
 * dimension); outputs are contiguous with the same shape as the (broadcast) inputs.
 */
public interface Elementwise {
    enum Unary { NEG, ABS, SIGN, EXP, LOG, LOG1P, SQRT, RSQRT, SQUARE, RECIPROCAL, SIN, COS }

    /** Comparison ops write 1 or 0 in the output's dtype. */
    enum Binary { ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, EQ, NE, LT, LE, GT, GE }

    /** Sets every element of the contiguous {@code out}. */
    void fill(Tensor out, double value);

    /** {@code dst[i] = (dst dtype) src[i]} for two views of the same shape, any strides, any dtypes. */
    void copy(Tensor src, Tensor dst);

    void unary(Unary op, Tensor x, Tensor out);

    /** {@code out = a op b}; a and b are views with out's shape. */
    void binary(Binary op, Tensor a, Tensor b, Tensor out);

    /** {@code out = a op s}, or {@code s op a} when {@code scalarFirst}. */
    void binaryScalar(Binary op, Tensor a, double s, boolean scalarFirst, Tensor out);

    /** {@code out = min(max(x, lo), hi)}; NaN passes through. */
    void clamp(Tensor x, double lo, double hi, Tensor out);

    /** {@code out = cond != 0 ? a : b}; all three are views with out's shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);
}

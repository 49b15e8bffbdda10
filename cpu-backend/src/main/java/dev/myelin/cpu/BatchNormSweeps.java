package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;

/**
 * The two passes every batch-norm kernel is built from, over contiguous tensors seen as
 * [N, C, S] ({@link BatchNormDims}); per-channel coefficients are double arrays of length C.
 * One implementation per dtype: float32 vectorized, float64 scalar.
 */
interface BatchNormSweeps {
    static BatchNormSweeps of(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> BatchNormSweepsF32.INSTANCE;
            case FLOAT64 -> BatchNormSweepsF64.INSTANCE;
            default -> throw new IllegalArgumentException("cpu batch_norm: expected float32 or float64, got " + dtype);
        };
    }

    /**
     * Per channel, over n and s: {@code s1[c] += sum(u - mu[c])} and
     * {@code s2[c] += sum((u - mu[c]) * (x - m[c]))}. With u = x and mu = m this gives the
     * centered sums of the statistics; with u = gradY and mu = 0 the sums of the backward.
     */
    void reduce(BatchNormDims d, Tensor u, double[] mu, Tensor x, double[] m, double[] s1, double[] s2);

    /** v as this dtype holds it: the centres the passes actually subtract. */
    double representable(double v);

    /** {@code out = (x - m[c]) * a[c] + b[c]}, plus {@code g * k[c]} when g is not null. */
    void map(BatchNormDims d, Tensor x, double[] m, double[] a, double[] b, Tensor g, double[] k, Tensor out);
}

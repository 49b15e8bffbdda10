package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Activations;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.Launch;

import static dev.myelin.cuda.kernels.KernelCatalog.ACT_BACKWARD;
import static dev.myelin.cuda.kernels.KernelCatalog.ACT_FORWARD;
import static dev.myelin.cuda.kernels.KernelCatalog.BIAS_ACT_BACKWARD;
import static dev.myelin.cuda.kernels.KernelCatalog.BIAS_ACT_FORWARD;
import static dev.myelin.cuda.kernels.KernelCatalog.SOFTMAX_BACKWARD_COLUMNS;
import static dev.myelin.cuda.kernels.KernelCatalog.SOFTMAX_BACKWARD_ROWS_BLOCK;
import static dev.myelin.cuda.kernels.KernelCatalog.SOFTMAX_BACKWARD_ROWS_WARP;
import static dev.myelin.cuda.kernels.KernelCatalog.SOFTMAX_COLUMNS;
import static dev.myelin.cuda.kernels.KernelCatalog.SOFTMAX_ROWS_BLOCK;
import static dev.myelin.cuda.kernels.KernelCatalog.SOFTMAX_ROWS_WARP;

/**
 * CUDA kernels of the Activations family (activations.cu), on contiguous tensors as the contract
 * says. The fused bias + activation takes the row index as {@code i % cols} of the flat index. Softmax sees x as
 * [outer, n, inner]: rows (inner = 1) of up to {@link #WARP_ROW} elements are reduced by a warp, longer rows by a
 * block; with inner > 1 a thread walks each column.
 */
public final class CudaActivations implements Activations {
    /** Longest softmax row a warp takes (32 elements per lane); longer rows get a whole block. */
    static final long WARP_ROW = 1024;

    private final KernelRunner runner;

    /** The family on kernels launched through {@code runner} (the driver's, or a test's). */
    public CudaActivations(KernelRunner runner) {
        this.runner = runner;
    }

    @Override
    public void forward(Kind kind, double param, Tensor x, Tensor y) {
        String op = kind.name().toLowerCase();
        Checks.contiguous(op, x, y);
        Checks.floating(op, x);
        Checks.sameDtype(op, x.dtype(), y);
        Checks.sameShape(op, "x", x, "y", y);
        long n = x.numel();
        if (n == 0) return;
        runner.launch(ACT_FORWARD, x.dtype(), Launch.threads(n), Launch.block(),
                KernelCall.of().i32(kind.ordinal()).real(x.dtype(), param).ptr(x).ptr(y).i64(n));
    }

    @Override
    public void backward(Kind kind, double param, Tensor x, Tensor y, Tensor gradY, Tensor gradX) {
        String op = kind.name().toLowerCase() + "_backward";
        Checks.contiguous(op, x, y, gradY, gradX);
        Checks.floating(op, x);
        Checks.sameDtype(op, x.dtype(), y, gradY, gradX);
        Checks.sameShape(op, "x", x, "gradX", gradX);
        Checks.sameShape(op, "y", y, "gradX", gradX);
        Checks.sameShape(op, "gradY", gradY, "gradX", gradX);
        long n = x.numel();
        if (n == 0) return;
        runner.launch(ACT_BACKWARD, x.dtype(), Launch.threads(n), Launch.block(), KernelCall.of()
                .i32(kind.ordinal()).real(x.dtype(), param).ptr(x).ptr(y).ptr(gradY).ptr(gradX).i64(n));
    }

    @Override
    public void biasForward(Kind kind, double param, Tensor x, Tensor bias, Tensor y) {
        String op = "bias_" + kind.name().toLowerCase();
        Checks.contiguous(op, x, bias, y);
        Checks.floating(op, x);
        Checks.sameDtype(op, x.dtype(), bias, y);
        Checks.sameShape(op, "x", x, "y", y);
        long cols = columns(op, x, bias), n = x.numel();
        if (n == 0) return;
        runner.launch(BIAS_ACT_FORWARD, x.dtype(), Launch.threads(n), Launch.block(), KernelCall.of()
                .i32(kind.ordinal()).real(x.dtype(), param).ptr(x).ptr(bias).ptr(y).i64(cols).i64(n));
    }

    @Override
    public void biasBackward(Kind kind, double param, Tensor x, Tensor bias, Tensor y, Tensor gradY, Tensor gradX) {
        String op = "bias_" + kind.name().toLowerCase() + "_backward";
        Checks.contiguous(op, x, bias, y, gradY, gradX);
        Checks.floating(op, x);
        Checks.sameDtype(op, x.dtype(), bias, y, gradY, gradX);
        Checks.sameShape(op, "x", x, "gradX", gradX);
        Checks.sameShape(op, "y", y, "gradX", gradX);
        Checks.sameShape(op, "gradY", gradY, "gradX", gradX);
        long cols = columns(op, x, bias), n = x.numel();
        if (n == 0) return;
        runner.launch(BIAS_ACT_BACKWARD, x.dtype(), Launch.threads(n), Launch.block(), KernelCall.of()
                .i32(kind.ordinal()).real(x.dtype(), param).ptr(x).ptr(bias).ptr(y).ptr(gradY).ptr(gradX)
                .i64(cols).i64(n));
    }

    /** The row length: bias is 1-D and x a whole number of its rows. */
    private static long columns(String op, Tensor x, Tensor bias) {
        long cols = bias.numel();
        if (bias.dim() != 1 || (cols == 0 ? x.numel() != 0 : x.numel() % cols != 0)) {
            throw new IllegalArgumentException(op + ": bias " + Shape.str(bias.shape())
                    + " does not divide x " + Shape.str(x.shape()) + " into rows");
        }
        return cols;
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor y) {
        String op = log ? "log_softmax" : "softmax";
        Checks.contiguous(op, x, y);
        Checks.floating(op, x);
        Checks.sameDtype(op, x.dtype(), y);
        Checks.sameShape(op, "x", x, "y", y);
        Split s = Split.of(x.shape(), dim);
        if (x.numel() == 0 || s.n == 0) return;
        DType dt = x.dtype();
        if (s.inner == 1) {
            boolean warp = s.n <= WARP_ROW;
            runner.launch(warp ? SOFTMAX_ROWS_WARP : SOFTMAX_ROWS_BLOCK, dt,
                    Launch.groups(s.outer, warp ? Launch.WARP : Launch.BLOCK), Launch.block(),
                    KernelCall.of().ptr(x).ptr(y).i64(s.outer).i64(s.n).flag(log));
        } else {
            runner.launch(SOFTMAX_COLUMNS, dt, Launch.threads(s.outer * s.inner), Launch.block(),
                    KernelCall.of().ptr(x).ptr(y).i64(s.outer).i64(s.n).i64(s.inner).flag(log));
        }
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gradY, int dim, boolean log, Tensor gradX) {
        String op = log ? "log_softmax_backward" : "softmax_backward";
        Checks.contiguous(op, y, gradY, gradX);
        Checks.floating(op, y);
        Checks.sameDtype(op, y.dtype(), gradY, gradX);
        Checks.sameShape(op, "gradY", gradY, "y", y);
        Checks.sameShape(op, "gradX", gradX, "y", y);
        Split s = Split.of(y.shape(), dim);
        if (y.numel() == 0 || s.n == 0) return;
        DType dt = y.dtype();
        if (s.inner == 1) {
            boolean warp = s.n <= WARP_ROW;
            runner.launch(warp ? SOFTMAX_BACKWARD_ROWS_WARP : SOFTMAX_BACKWARD_ROWS_BLOCK, dt,
                    Launch.groups(s.outer, warp ? Launch.WARP : Launch.BLOCK), Launch.block(),
                    KernelCall.of().ptr(y).ptr(gradY).ptr(gradX).i64(s.outer).i64(s.n).flag(log));
        } else {
            runner.launch(SOFTMAX_BACKWARD_COLUMNS, dt, Launch.threads(s.outer * s.inner), Launch.block(),
                    KernelCall.of().ptr(y).ptr(gradY).ptr(gradX).i64(s.outer).i64(s.n).i64(s.inner).flag(log));
        }
    }

    /** A shape seen as [outer, n, inner] around dim (a 0-d tensor is [1, 1, 1]). */
    record Split(long outer, long n, long inner) {
        static Split of(int[] shape, int dim) {
            if (shape.length == 0) return new Split(1, 1, 1);
            if (dim < 0 || dim >= shape.length) {
                throw new IllegalArgumentException("softmax: dim " + dim + " out of range for shape "
                        + Shape.str(shape));
            }
            long outer = 1, inner = 1;
            for (int d = 0; d < dim; d++) outer *= shape[d];
            for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
            return new Split(outer, shape[dim], inner);
        }
    }
}

package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Pooling;

import static dev.myelin.cuda.kernels.KernelCatalog.AVG_POOL;
import static dev.myelin.cuda.kernels.KernelCatalog.AVG_POOL_BACKWARD;
import static dev.myelin.cuda.kernels.KernelCatalog.MAX_POOL;
import static dev.myelin.cuda.kernels.KernelCatalog.MAX_POOL_BACKWARD;

/**
 * Pooling on Myelin's own kernels (pooling.cu), any geometry, with the CPU backend's semantics
 * (PoolRows): windows start at {@code o * stride - pad}; max pooling treats padding as -inf, takes
 * a tap when it is greater or NaN (so the first of equal maxima and the last NaN give the index)
 * and writes indices {@code ih * w + iw} in the plane; average pooling sums in double and divides
 * by PyTorch's divisor (the window clipped to the padded input with countIncludePad, else to the
 * input). The CUDA backend's Pooling uses it for max pooling, which cuDNN cannot do with indices,
 * and for average pooling with a ceil-mode window. Both backwards gather per input element, so
 * they are deterministic and write every gradX element; the max backward expects indices from
 * {@link #maxPool2d} with the same params (each index inside its own window).
 *
 * <p>Tensors are contiguous [N, C, H, W] (input side) and [N, C, OH, OW] (output side).
 */
public final class CudaPoolingKernels implements Pooling {
    private final KernelRunner runner;

    public CudaPoolingKernels() {
        this(CudaKernelRunner.INSTANCE);
    }

    public CudaPoolingKernels(KernelRunner runner) {
        this.runner = runner;
    }

    @Override
    public void maxPool2d(Tensor x, Pooling.Params p, Tensor y, Tensor indices) {
        check("maxPool2d", x, y, indices);
        long outputs = y.numel();
        if (outputs == 0) return;
        runner.launch(MAX_POOL, x.dtype(), Launch.threads(outputs), Launch.block(),
                shape(KernelCall.of().ptr(x).ptr(y).ptr(indices), x, y, p));
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Tensor indices, Pooling.Params p, Tensor gradX) {
        check("maxPool2dBackward", gradX, gradY, indices);
        long inputs = gradX.numel();
        if (inputs == 0) return;
        runner.launch(MAX_POOL_BACKWARD, gradX.dtype(), Launch.threads(inputs), Launch.block(),
                shape(KernelCall.of().ptr(gradY).ptr(indices).ptr(gradX), gradX, gradY, p));
    }

    @Override
    public void avgPool2d(Tensor x, Pooling.Params p, Tensor y) {
        check("avgPool2d", x, y, null);
        long outputs = y.numel();
        if (outputs == 0) return;
        runner.launch(AVG_POOL, x.dtype(), Launch.threads(outputs), Launch.block(),
                shape(KernelCall.of().ptr(x).ptr(y), x, y, p).flag(p.countIncludePad()));
    }

    @Override
    public void avgPool2dBackward(Tensor gradY, Pooling.Params p, Tensor gradX) {
        check("avgPool2dBackward", gradX, gradY, null);
        long inputs = gradX.numel();
        if (inputs == 0) return;
        runner.launch(AVG_POOL_BACKWARD, gradX.dtype(), Launch.threads(inputs), Launch.block(),
                shape(KernelCall.of().ptr(gradY).ptr(gradX), gradX, gradY, p).flag(p.countIncludePad()));
    }

    /** The arguments every pooling kernel takes after its pointers: planes, then the plane geometry. */
    private static KernelCall shape(KernelCall head, Tensor in, Tensor out, Pooling.Params p) {
        return head.i64((long) in.size(0) * in.size(1)).i32(in.size(2)).i32(in.size(3)).i32(out.size(2)).i32(out.size(3))
                .i32(p.kernelH()).i32(p.kernelW()).i32(p.strideH()).i32(p.strideW()).i32(p.padH()).i32(p.padW());
    }

    /** in and out: 4-D, contiguous, one floating dtype, same N and C; indices (if any) int64 of out's shape. */
    private static void check(String op, Tensor in, Tensor out, Tensor indices) {
        Checks.floating(op, in);
        Checks.sameDtype(op, in.dtype(), out);
        Checks.contiguous(op, in, out, indices);
        if (in.dim() != 4 || out.dim() != 4 || in.size(0) != out.size(0) || in.size(1) != out.size(1)) {
            throw new IllegalArgumentException(op + ": expects [N, C, H, W] and [N, C, OH, OW], got "
                    + Shape.str(in.shape()) + " and " + Shape.str(out.shape()));
        }
        if (indices != null) {
            Checks.sameDtype(op, DType.INT64, indices);
            Checks.sameShape(op, "indices", indices, "output", out);
        }
    }
}

package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Pooling;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.Launch;
import dev.myelin.cuda.runtime.CudaStorage;
import dev.myelin.cuda.runtime.Cudnn;
import dev.myelin.cuda.runtime.CudnnCall;
import dev.myelin.cuda.runtime.DeviceContext;
import dev.myelin.cuda.runtime.DeviceScratch;

import java.lang.foreign.MemorySegment;

import static dev.myelin.cuda.kernels.KernelCatalog.AVG_POOL;
import static dev.myelin.cuda.kernels.KernelCatalog.AVG_POOL_BACKWARD;
import static dev.myelin.cuda.kernels.KernelCatalog.MAX_POOL;
import static dev.myelin.cuda.kernels.KernelCatalog.MAX_POOL_BACKWARD;

/**
 * CUDA kernels of the Pooling family. Average pooling runs on cuDNN wherever cuDNN's geometry is
 * PyTorch's: symmetric padding and floor-mode output size (ceil_mode only adds a window when the
 * input does not tile evenly; where it adds none, the two agree). In that geometry every window
 * lies inside the padded input, so cuDNN's COUNT_INCLUDE_PADDING divisor (kh * kw) and
 * COUNT_EXCLUDE_PADDING divisor (the in-input taps) are PyTorch's.
 *
 * <p>Max pooling must return the argmax indices and its backward gets only those (not x), which
 * cuDNN cannot do (its max pooling keeps no indices and its backward needs x and y). Max pooling,
 * and average pooling where ceil_mode adds a partial window, run on Myelin's kernels (PTX module
 * {@code pooling}).
 *
 * <p>Myelin's kernels have the CPU backend's semantics (PoolRows): windows start at
 * {@code o * stride - pad}; max pooling treats padding as -inf, takes a tap when it is greater or
 * NaN (so the first of equal maxima and the last NaN give the index) and writes indices
 * {@code ih * w + iw} in the plane; average pooling sums in double and divides by PyTorch's
 * divisor (the window clipped to the padded input with countIncludePad, else to the input). Both
 * backwards gather per input element, so they are deterministic and write every gradX element;
 * the max backward expects indices from {@link #maxPool2d} with the same params (each index inside
 * its own window). Tensors are contiguous [N, C, H, W] (input side) and [N, C, OH, OW] (output side).
 */
public final class CudaPooling implements Pooling {
    private final Cudnn cudnn;
    private final DeviceContext device;
    private final KernelRunner runner;

    /**
     * Pooling on {@code cudnn} in {@code device}'s context and on Myelin's kernels through
     * {@code runner}. With {@code cudnn} null (tests), every geometry runs on the kernels.
     * Internal: not part of the API.
     */
    public CudaPooling(Cudnn cudnn, DeviceContext device, KernelRunner runner) {
        this.cudnn = cudnn;
        this.device = device;
        this.runner = runner;
    }

    @Override
    public void maxPool2d(Tensor x, Pooling.Params p, Tensor y, Tensor indices) {
        if (cudnn != null) {
            check("maxPool2d", x, y, "y");
            Checks.operand("maxPool2d", "indices", indices, DType.INT64);
        }
        checkKernel("maxPool2d", x, y, indices);
        long outputs = y.numel();
        if (outputs == 0) return;
        runner.launch(MAX_POOL, x.dtype(), Launch.threads(outputs), Launch.block(),
                planes(KernelCall.of().ptr(x).ptr(y).ptr(indices), x, y, p));
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Tensor indices, Pooling.Params p, Tensor gradX) {
        if (cudnn != null) {
            check("maxPool2dBackward", gradX, gradY, "gradY");
            Checks.operand("maxPool2dBackward", "indices", indices, DType.INT64);
        }
        checkKernel("maxPool2dBackward", gradX, gradY, indices);
        long inputs = gradX.numel();
        if (inputs == 0) return;
        runner.launch(MAX_POOL_BACKWARD, gradX.dtype(), Launch.threads(inputs), Launch.block(),
                planes(KernelCall.of().ptr(gradY).ptr(indices).ptr(gradX), gradX, gradY, p));
    }

    @Override
    public void avgPool2d(Tensor x, Pooling.Params p, Tensor y) {
        if (cudnn == null) {
            avgPoolKernel(x, p, y);
            return;
        }
        DType dt = check("avgPool2d", x, y, "y");
        Geometry g = Geometry.of(x, y);
        if (g.outputs() == 0) return;
        if (!g.cudnnCanDo(p)) {
            avgPoolKernel(x, p, y);
            return;
        }
        synchronized (cudnn) {
            device.makeCurrent();
            try (CudnnCall call = new CudnnCall(cudnn)) {
                MemorySegment pool = poolDesc(call, p), xd = call.tensor(x), yd = call.tensor(y);
                cudnn.call("cudnnPoolingForward", cudnn.handle(), pool, call.scalar(dt, 1), xd, CudnnCall.device(x),
                        call.scalar(dt, 0), yd, CudnnCall.device(y));
            }
        }
    }

    @Override
    public void avgPool2dBackward(Tensor gradY, Pooling.Params p, Tensor gradX) {
        if (cudnn == null) {
            avgPoolBackwardKernel(gradY, p, gradX);
            return;
        }
        DType dt = check("avgPool2dBackward", gradX, gradY, "gradY");
        Geometry g = Geometry.of(gradX, gradY);
        if (g.outputs() == 0) {
            device.zero(CudaStorage.addressOf(gradX), gradX.numel() * dt.byteSize());
            return;
        }
        if (!g.cudnnCanDo(p)) {
            avgPoolBackwardKernel(gradY, p, gradX);
            return;
        }
        synchronized (cudnn) {
            device.makeCurrent();
            try (CudnnCall call = new CudnnCall(cudnn); DeviceScratch scratch = new DeviceScratch(device.allocator())) {
                MemorySegment pool = poolDesc(call, p), dyd = call.tensor(gradY), dxd = call.tensor(gradX);
                // The API takes x and y too; average pooling does not read them, so scratch stands in.
                MemorySegment y = CudnnCall.device(scratch.take(gradY.numel() * dt.byteSize()));
                MemorySegment x = CudnnCall.device(scratch.take(gradX.numel() * dt.byteSize()));
                cudnn.call("cudnnPoolingBackward", cudnn.handle(), pool, call.scalar(dt, 1), dyd, y, dyd,
                        CudnnCall.device(gradY), dxd, x, call.scalar(dt, 0), dxd, CudnnCall.device(gradX));
            }
        }
    }

    private void avgPoolKernel(Tensor x, Pooling.Params p, Tensor y) {
        checkKernel("avgPool2d", x, y, null);
        long outputs = y.numel();
        if (outputs == 0) return;
        runner.launch(AVG_POOL, x.dtype(), Launch.threads(outputs), Launch.block(),
                planes(KernelCall.of().ptr(x).ptr(y), x, y, p).flag(p.countIncludePad()));
    }

    private void avgPoolBackwardKernel(Tensor gradY, Pooling.Params p, Tensor gradX) {
        checkKernel("avgPool2dBackward", gradX, gradY, null);
        long inputs = gradX.numel();
        if (inputs == 0) return;
        runner.launch(AVG_POOL_BACKWARD, gradX.dtype(), Launch.threads(inputs), Launch.block(),
                planes(KernelCall.of().ptr(gradY).ptr(gradX), gradX, gradY, p).flag(p.countIncludePad()));
    }

    /** x-like and y-like operands: 4-D, contiguous, on CUDA, one floating dtype. */
    private static DType check(String op, Tensor x, Tensor y, String yName) {
        DType dt = Checks.floatingDtype(op, x);
        Checks.operand(op, "input", x, dt);
        Checks.operand(op, yName, y, dt);
        Checks.rank(op, "input", x, 4);
        Checks.rank(op, yName, y, 4);
        if (x.size(0) != y.size(0) || x.size(1) != y.size(1)) {
            throw new IllegalArgumentException("cuda " + op + ": input " + Shape.str(x.shape()) + " and "
                    + yName + " " + Shape.str(y.shape()) + " differ in batch or channels");
        }
        return dt;
    }

    private static MemorySegment poolDesc(CudnnCall call, Pooling.Params p) {
        int mode = p.countIncludePad() ? Cudnn.POOLING_AVERAGE_COUNT_INCLUDE_PADDING
                : Cudnn.POOLING_AVERAGE_COUNT_EXCLUDE_PADDING;
        return call.pooling(mode, Cudnn.PROPAGATE_NAN, p.kernelH(), p.kernelW(), p.padH(), p.padW(), p.strideH(),
                p.strideW());
    }

    /** The arguments every pooling kernel takes after its pointers: planes, then the plane geometry. */
    private static KernelCall planes(KernelCall head, Tensor in, Tensor out, Pooling.Params p) {
        return head.i64((long) in.size(0) * in.size(1)).i32(in.size(2)).i32(in.size(3)).i32(out.size(2))
                .i32(out.size(3))
                .i32(p.kernelH()).i32(p.kernelW()).i32(p.strideH()).i32(p.strideW()).i32(p.padH()).i32(p.padW());
    }

    /** in and out: 4-D, contiguous, one floating dtype, same N and C; indices (if any) int64 of out's shape. */
    private static void checkKernel(String op, Tensor in, Tensor out, Tensor indices) {
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

    /** N * C planes of h x w in, oh x ow out. */
    private record Geometry(long planes, int h, int w, int oh, int ow) {
        static Geometry of(Tensor x, Tensor y) {
            return new Geometry((long) x.size(0) * x.size(1), x.size(2), x.size(3), y.size(2), y.size(3));
        }

        long outputs() {
            return planes * oh * ow;
        }

        /** cuDNN's output size is the floor-mode one; it matches when ceil_mode adds no window. */
        boolean cudnnCanDo(Pooling.Params p) {
            return oh == (h + 2 * p.padH() - p.kernelH()) / p.strideH() + 1
                    && ow == (w + 2 * p.padW() - p.kernelW()) / p.strideW() + 1;
        }
    }
}

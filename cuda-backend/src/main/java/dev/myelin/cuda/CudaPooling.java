package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Pooling;

import java.lang.foreign.MemorySegment;

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
 * {@code pooling}, launched by {@link dev.myelin.cuda.kernels.CudaPoolingKernels}, whose Javadoc
 * and pooling.cu state the kernels' semantics and signatures).
 */
final class CudaPooling implements Pooling {
    private final Cudnn cudnn;
    private final DeviceContext device;
    private final Pooling kernels;

    CudaPooling(Cudnn cudnn, DeviceContext device, Pooling kernels) {
        this.cudnn = cudnn;
        this.device = device;
        this.kernels = kernels;
    }

    @Override
    public void maxPool2d(Tensor x, Pooling.Params p, Tensor y, Tensor indices) {
        check("maxPool2d", x, y, "y");
        CudaChecks.operand("maxPool2d", "indices", indices, DType.INT64);
        kernels.maxPool2d(x, p, y, indices);
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Tensor indices, Pooling.Params p, Tensor gradX) {
        check("maxPool2dBackward", gradX, gradY, "gradY");
        CudaChecks.operand("maxPool2dBackward", "indices", indices, DType.INT64);
        kernels.maxPool2dBackward(gradY, indices, p, gradX);
    }

    @Override
    public void avgPool2d(Tensor x, Pooling.Params p, Tensor y) {
        DType dt = check("avgPool2d", x, y, "y");
        Geometry g = Geometry.of(x, y);
        if (g.outputs() == 0) return;
        if (!g.cudnnCanDo(p)) {
            kernels.avgPool2d(x, p, y);
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
        DType dt = check("avgPool2dBackward", gradX, gradY, "gradY");
        Geometry g = Geometry.of(gradX, gradY);
        if (g.outputs() == 0) {
            device.zero(CudaStorage.addressOf(gradX), gradX.numel() * dt.byteSize());
            return;
        }
        if (!g.cudnnCanDo(p)) {
            kernels.avgPool2dBackward(gradY, p, gradX);
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

    /** x-like and y-like operands: 4-D, contiguous, on CUDA, one floating dtype. */
    private static DType check(String op, Tensor x, Tensor y, String yName) {
        DType dt = CudaChecks.floating(op, x);
        CudaChecks.operand(op, "input", x, dt);
        CudaChecks.operand(op, yName, y, dt);
        CudaChecks.rank(op, "input", x, 4);
        CudaChecks.rank(op, yName, y, 4);
        if (x.size(0) != y.size(0) || x.size(1) != y.size(1)) {
            throw new IllegalArgumentException("cuda " + op + ": input " + dev.myelin.Shape.str(x.shape()) + " and "
                    + yName + " " + dev.myelin.Shape.str(y.shape()) + " differ in batch or channels");
        }
        return dt;
    }

    private static MemorySegment poolDesc(CudnnCall call, Pooling.Params p) {
        int mode = p.countIncludePad() ? Cudnn.POOLING_AVERAGE_COUNT_INCLUDE_PADDING
                : Cudnn.POOLING_AVERAGE_COUNT_EXCLUDE_PADDING;
        return call.pooling(mode, Cudnn.PROPAGATE_NAN, p.kernelH(), p.kernelW(), p.padH(), p.padW(), p.strideH(),
                p.strideW());
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

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
 * and average pooling where ceil_mode adds a partial window, run on Myelin's kernels in PTX
 * module {@value #MODULE}, one thread per output element (grid-stride loops):
 * <pre>
 * max_pool2d_{f32,f64}(const T* x, T* y, long long* indices, long long planes, int h, int w, int oh, int ow,
 *                      int kh, int kw, int sh, int sw, int ph, int pw)
 *     window rows hs = oy*sh - ph .. +kh and columns likewise, clipped to the input; taps in row-major
 *     order; best starts at -inf with index (max(hs,0))*w + max(ws,0); a tap v is taken when v > best
 *     or v is NaN (so the last NaN wins, as PyTorch); indices are h*w-plane offsets ih*w + iw.
 * max_pool2d_backward_{f32,f64}(const T* gradY, const long long* indices, T* gradX, long long planes,
 *                      int inPlane, int outPlane)
 *     gradX is zeroed by the caller; gradX[p*inPlane + indices[i]] += gradY[i] (atomicAdd) for every
 *     output i of plane p.
 * avg_pool2d_{f32,f64}(const T* x, T* y, long long planes, int h, int w, int oh, int ow, int kh, int kw,
 *                      int sh, int sw, int ph, int pw, int countIncludePad)
 * avg_pool2d_backward_{f32,f64}(const T* gradY, T* gradX, long long planes, int h, int w, int oh, int ow,
 *                      int kh, int kw, int sh, int sw, int ph, int pw, int countIncludePad)
 *     PyTorch's divisor: with he = min(hs + kh, h + ph), we likewise, (he - hs) * (we - ws) when
 *     countIncludePad, else the number of in-input taps; the backward writes every gradX element
 *     (one thread per input element, gathering from the windows that contain it).
 * </pre>
 */
final class CudaPooling implements Pooling {
    static final String MODULE = "myelin_pooling";
    private static final int THREADS = 256;
    private static final int MAX_BLOCKS = 1 << 20;

    private final Cudnn cudnn;
    private final DeviceContext device;

    CudaPooling(Cudnn cudnn, DeviceContext device) {
        this.cudnn = cudnn;
        this.device = device;
    }

    @Override
    public void maxPool2d(Tensor x, Pooling.Params p, Tensor y, Tensor indices) {
        DType dt = check("maxPool2d", x, y, "y");
        CudaChecks.operand("maxPool2d", "indices", indices, DType.INT64);
        Geometry g = Geometry.of(x, y);
        if (g.outputs() == 0) return;
        Kernels.launch(MODULE, "max_pool2d_" + suffix(dt), grid(g.outputs()), Dim3.of(THREADS), 0,
                g.args(KernelArgs.of().ptr(x).ptr(y).ptr(indices), p));
    }

    @Override
    public void maxPool2dBackward(Tensor gradY, Tensor indices, Pooling.Params p, Tensor gradX) {
        DType dt = check("maxPool2dBackward", gradX, gradY, "gradY");
        CudaChecks.operand("maxPool2dBackward", "indices", indices, DType.INT64);
        Geometry g = Geometry.of(gradX, gradY);
        device.zero(CudaStorage.addressOf(gradX), gradX.numel() * dt.byteSize());
        if (g.outputs() == 0) return;
        Kernels.launch(MODULE, "max_pool2d_backward_" + suffix(dt), grid(g.outputs()), Dim3.of(THREADS), 0,
                KernelArgs.of().ptr(gradY).ptr(indices).ptr(gradX).i64(g.planes()).i32(g.h() * g.w())
                        .i32(g.oh() * g.ow()));
    }

    @Override
    public void avgPool2d(Tensor x, Pooling.Params p, Tensor y) {
        DType dt = check("avgPool2d", x, y, "y");
        Geometry g = Geometry.of(x, y);
        if (g.outputs() == 0) return;
        if (!g.cudnnCanDo(p)) {
            Kernels.launch(MODULE, "avg_pool2d_" + suffix(dt), grid(g.outputs()), Dim3.of(THREADS), 0,
                    g.args(KernelArgs.of().ptr(x).ptr(y), p).i32(p.countIncludePad() ? 1 : 0));
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
            Kernels.launch(MODULE, "avg_pool2d_backward_" + suffix(dt), grid(gradX.numel()), Dim3.of(THREADS), 0,
                    g.args(KernelArgs.of().ptr(gradY).ptr(gradX), p).i32(p.countIncludePad() ? 1 : 0));
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

    private static String suffix(DType dt) {
        return dt == DType.FLOAT64 ? "f64" : "f32";
    }

    private static Dim3 grid(long threads) {
        return Dim3.of(Math.min(MAX_BLOCKS, Dim3.blocksFor(threads, THREADS).x()));
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

        /** The shape arguments every pooling kernel takes after its pointers. */
        KernelArgs args(KernelArgs head, Pooling.Params p) {
            return head.i64(planes).i32(h).i32(w).i32(oh).i32(ow).i32(p.kernelH()).i32(p.kernelW()).i32(p.strideH())
                    .i32(p.strideW()).i32(p.padH()).i32(p.padW());
        }
    }
}

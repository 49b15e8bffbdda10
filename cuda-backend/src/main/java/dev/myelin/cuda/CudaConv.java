package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Conv;
import dev.myelin.cuda.runtime.CudaSettings;
import dev.myelin.cuda.runtime.CudaStorage;
import dev.myelin.cuda.runtime.Cudnn;
import dev.myelin.cuda.runtime.CudnnCall;
import dev.myelin.cuda.runtime.CudnnWorkspace;
import dev.myelin.cuda.runtime.DeviceContext;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * CUDA kernels of the Conv family, on cuDNN: cross-correlation with padding, stride, dilation and
 * groups in NCHW, the algorithm chosen once per shape by {@link ConvAlgorithms}, bias added with
 * cudnnAddTensor. Tensors must be contiguous (the core passes them so).
 */
final class CudaConv implements Conv {
    private final Cudnn cudnn;
    private final DeviceContext device;
    private final ConvAlgorithms algorithms;
    private final CudnnWorkspace workspace;

    CudaConv(Cudnn cudnn, DeviceContext device, CudnnWorkspace workspace) {
        this.cudnn = cudnn;
        this.device = device;
        this.algorithms = new ConvAlgorithms(cudnn);
        this.workspace = workspace;
    }

    @Override
    public void conv2d(Tensor x, Tensor weight, Tensor bias, Conv.Params p, Tensor y) {
        DType dt = check("conv2d", x, weight, y, "y");
        Checks.optional("conv2d", "bias", bias, dt);
        if (x.size(0) == 0) return;
        synchronized (cudnn) {
            device.makeCurrent();
            try (CudnnCall call = new CudnnCall(cudnn)) {
                boolean tf32 = CudaSettings.tf32();
                MemorySegment xd = call.tensor(x), wd = filter(call, weight), yd = call.tensor(y);
                MemorySegment cd = call.convolution(p, dt, ConvAlgorithms.baseMathType(dt, tf32));
                ConvAlgorithms.Choice c = algorithms.choose(key(ConvAlgorithms.Direction.FORWARD, x, weight, p,
                        tf32), call, xd, wd, cd, yd, workspace);
                cudnn.call("cudnnConvolutionForward", cudnn.handle(), call.scalar(dt, 1), xd, CudnnCall.device(x), wd,
                        CudnnCall.device(weight), cd, c.algo(), CudnnCall.device(workspace.ensure(c.workspaceBytes())),
                        c.workspaceBytes(), call.scalar(dt, 0), yd, CudnnCall.device(y));
                if (bias != null) {
                    MemorySegment bd = call.tensor(dt, 1, bias.size(0), 1, 1);
                    cudnn.call("cudnnAddTensor", cudnn.handle(), call.scalar(dt, 1), bd, CudnnCall.device(bias),
                            call.scalar(dt, 1), yd, CudnnCall.device(y));
                }
            }
        }
    }

    @Override
    public void conv2dBackwardData(Tensor gradY, Tensor weight, Conv.Params p, Tensor gradX) {
        DType dt = check("conv2dBackwardData", gradX, weight, gradY, "gradY");
        if (gradX.size(0) == 0) return;
        synchronized (cudnn) {
            device.makeCurrent();
            try (CudnnCall call = new CudnnCall(cudnn)) {
                boolean tf32 = CudaSettings.tf32();
                MemorySegment wd = filter(call, weight), dyd = call.tensor(gradY), dxd = call.tensor(gradX);
                MemorySegment cd = call.convolution(p, dt, ConvAlgorithms.baseMathType(dt, tf32));
                ConvAlgorithms.Choice c = algorithms.choose(key(ConvAlgorithms.Direction.BACKWARD_DATA, gradX,
                        weight, p, tf32), call, wd, dyd, cd, dxd, workspace);
                cudnn.call("cudnnConvolutionBackwardData", cudnn.handle(), call.scalar(dt, 1), wd,
                        CudnnCall.device(weight), dyd, CudnnCall.device(gradY), cd, c.algo(),
                        CudnnCall.device(workspace.ensure(c.workspaceBytes())),
                        c.workspaceBytes(), call.scalar(dt, 0), dxd, CudnnCall.device(gradX));
            }
        }
    }

    @Override
    public void conv2dBackwardFilter(Tensor gradY, Tensor x, Conv.Params p, Tensor gradWeight) {
        DType dt = check("conv2dBackwardFilter", x, gradWeight, gradY, "gradY");
        if (x.size(0) == 0) {
            device.zero(CudaStorage.addressOf(gradWeight), gradWeight.numel() * dt.byteSize());
            return;
        }
        synchronized (cudnn) {
            device.makeCurrent();
            try (CudnnCall call = new CudnnCall(cudnn)) {
                boolean tf32 = CudaSettings.tf32();
                MemorySegment xd = call.tensor(x), dyd = call.tensor(gradY), dwd = filter(call, gradWeight);
                MemorySegment cd = call.convolution(p, dt, ConvAlgorithms.baseMathType(dt, tf32));
                ConvAlgorithms.Choice c = algorithms.choose(key(ConvAlgorithms.Direction.BACKWARD_FILTER, x,
                        gradWeight, p, tf32), call, xd, dyd, cd, dwd, workspace);
                cudnn.call("cudnnConvolutionBackwardFilter", cudnn.handle(), call.scalar(dt, 1), xd,
                        CudnnCall.device(x), dyd, CudnnCall.device(gradY), cd, c.algo(),
                        CudnnCall.device(workspace.ensure(c.workspaceBytes())),
                        c.workspaceBytes(), call.scalar(dt, 0), dwd, CudnnCall.device(gradWeight));
            }
        }
    }

    /** Checks x-like, weight-like and y-like operands: 4-D, contiguous, on CUDA, one floating dtype. */
    private static DType check(String op, Tensor x, Tensor weight, Tensor y, String yName) {
        DType dt = Checks.floatingDtype(op, x);
        Checks.operand(op, "input", x, dt);
        Checks.operand(op, "weight", weight, dt);
        Checks.operand(op, yName, y, dt);
        Checks.rank(op, "input", x, 4);
        Checks.rank(op, "weight", weight, 4);
        Checks.rank(op, yName, y, 4);
        return dt;
    }

    private static MemorySegment filter(CudnnCall call, Tensor w) {
        int[] s = w.shape();
        return call.filter(w.dtype(), s[0], s[1], s[2], s[3]);
    }

    private static ConvAlgorithms.Key key(ConvAlgorithms.Direction d, Tensor x, Tensor w, Conv.Params p, boolean tf32) {
        return new ConvAlgorithms.Key(d, x.dtype(), box(x.shape()), box(w.shape()), p, tf32);
    }

    private static List<Integer> box(int[] shape) {
        return java.util.Arrays.stream(shape).boxed().toList();
    }
}

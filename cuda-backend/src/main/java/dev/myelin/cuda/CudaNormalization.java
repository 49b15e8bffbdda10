package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Normalization;

import java.lang.foreign.MemorySegment;

/**
 * CUDA kernels of the Normalization family: batch norm on cuDNN (spatial mode, x seen as
 * [N, C, S, 1]); layer norm on Myelin's own kernels through {@link LayerNormKernels}.
 *
 * <p>cuDNN's conventions are the core's: its saved inverse variance is {@code 1/sqrt(var + eps)}
 * of the biased batch variance, and its running update is
 * {@code running = (1 - factor) * running + factor * stat} with the unbiased variance for
 * running_var, so momentum is passed as cuDNN's exponential average factor unchanged. Missing
 * optional tensors (no affine, no running statistics) are replaced by scratch ones where cuDNN
 * needs a pointer. The eval-mode backward (statistics as constants) is not a cuDNN function:
 * the parameter gradients come from cuDNN's backward (they do not depend on the mode) and
 * {@code gradX = gradY * weight * invStd} from cudnnOpTensor.
 */
final class CudaNormalization implements Normalization {
    /** Passed to the backward, where cuDNN ignores it because the saved statistics are given. */
    private static final double BACKWARD_EPS = 1e-5;

    private final Cudnn cudnn;
    private final DeviceContext device;
    private final LayerNormKernels layerNorm;

    CudaNormalization(Cudnn cudnn, DeviceContext device, LayerNormKernels layerNorm) {
        this.cudnn = cudnn;
        this.device = device;
        this.layerNorm = layerNorm;
    }

    @Override
    public void batchNormTrain(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                               double momentum, double eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        String op = "batchNormTrain";
        DType dt = data(op, x, y);
        int c = x.size(1);
        channels(op, dt, c, new String[] {"weight", "bias", "runningMean", "runningVar", "saveMean", "saveInvStd"},
                weight, bias, runningMean, runningVar, saveMean, saveInvStd);
        if (x.numel() == 0) return;
        synchronized (cudnn) {
            device.makeCurrent();
            try (CudnnCall call = new CudnnCall(cudnn); DeviceScratch scratch = new DeviceScratch(device.allocator())) {
                MemorySegment xd = xDesc(call, x), pd = call.batchNormParams(xd);
                Pair running = bothOrNeither(call, scratch, pd, dt, c, runningMean, runningVar);
                Pair saved = bothOrNeither(call, scratch, pd, dt, c, saveMean, saveInvStd);
                // Any eps > 0 (the core's rule) is valid: cuDNN 9's CUDNN_BN_MIN_EPSILON is 0.
                cudnn.call("cudnnBatchNormalizationForwardTraining", cudnn.handle(), Cudnn.BATCHNORM_SPATIAL,
                        call.scalar(dt, 1), call.scalar(dt, 0), xd, CudnnCall.device(x), xd, CudnnCall.device(y), pd,
                        orFilled(call, scratch, pd, dt, c, weight, 1), orFilled(call, scratch, pd, dt, c, bias, 0),
                        momentum, running.first, running.second, eps, saved.first, saved.second);
            }
        }
    }

    @Override
    public void batchNormInference(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
                                   double eps, Tensor y) {
        String op = "batchNormInference";
        DType dt = data(op, x, y);
        int c = x.size(1);
        CudaChecks.operand(op, "runningMean", runningMean, dt);
        CudaChecks.operand(op, "runningVar", runningVar, dt);
        channels(op, dt, c, new String[] {"weight", "bias", "runningMean", "runningVar"}, weight, bias, runningMean,
                runningVar);
        if (x.numel() == 0) return;
        synchronized (cudnn) {
            device.makeCurrent();
            try (CudnnCall call = new CudnnCall(cudnn); DeviceScratch scratch = new DeviceScratch(device.allocator())) {
                MemorySegment xd = xDesc(call, x), pd = call.batchNormParams(xd);
                cudnn.call("cudnnBatchNormalizationForwardInference", cudnn.handle(), Cudnn.BATCHNORM_SPATIAL,
                        call.scalar(dt, 1), call.scalar(dt, 0), xd, CudnnCall.device(x), xd, CudnnCall.device(y), pd,
                        orFilled(call, scratch, pd, dt, c, weight, 1), orFilled(call, scratch, pd, dt, c, bias, 0),
                        CudnnCall.device(runningMean), CudnnCall.device(runningVar), eps);
            }
        }
    }

    @Override
    public void batchNormBackward(boolean batchStats, Tensor x, Tensor gradY, Tensor weight, Tensor mean,
                                  Tensor invStd, Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        String op = "batchNormBackward";
        DType dt = data(op, x, gradY);
        CudaChecks.operand(op, "gradX", gradX, dt);
        CudaChecks.operand(op, "mean", mean, dt);
        CudaChecks.operand(op, "invStd", invStd, dt);
        int c = x.size(1);
        channels(op, dt, c, new String[] {"weight", "mean", "invStd", "gradWeight", "gradBias"}, weight, mean, invStd,
                gradWeight, gradBias);
        if (x.numel() == 0) {
            if (gradWeight != null) device.zero(CudaStorage.addressOf(gradWeight), (long) c * dt.byteSize());
            if (gradBias != null) device.zero(CudaStorage.addressOf(gradBias), (long) c * dt.byteSize());
            return;
        }
        synchronized (cudnn) {
            device.makeCurrent();
            try (CudnnCall call = new CudnnCall(cudnn); DeviceScratch scratch = new DeviceScratch(device.allocator())) {
                MemorySegment xd = xDesc(call, x), pd = call.batchNormParams(xd);
                MemorySegment w = orFilled(call, scratch, pd, dt, c, weight, 1);
                long channelBytes = (long) c * dt.byteSize();
                if (batchStats || gradWeight != null || gradBias != null) {
                    // In eval mode only the parameter gradients are wanted from here; dx goes to scratch.
                    MemorySegment dx = batchStats ? CudnnCall.device(gradX)
                            : CudnnCall.device(scratch.take(x.numel() * dt.byteSize()));
                    MemorySegment dw = gradWeight != null ? CudnnCall.device(gradWeight)
                            : CudnnCall.device(scratch.take(channelBytes));
                    MemorySegment db = gradBias != null ? CudnnCall.device(gradBias)
                            : CudnnCall.device(scratch.take(channelBytes));
                    cudnn.call("cudnnBatchNormalizationBackward", cudnn.handle(), Cudnn.BATCHNORM_SPATIAL,
                            call.scalar(dt, 1), call.scalar(dt, 0), call.scalar(dt, 1), call.scalar(dt, 0), xd,
                            CudnnCall.device(x), xd, CudnnCall.device(gradY), xd, dx, pd, w, dw, db, BACKWARD_EPS,
                            CudnnCall.device(mean), CudnnCall.device(invStd));
                }
                if (!batchStats) {
                    MemorySegment mul = call.opTensor(Cudnn.OP_TENSOR_MUL, dt);
                    MemorySegment k = CudnnCall.device(invStd);
                    if (weight != null) {
                        k = CudnnCall.device(scratch.take(channelBytes));
                        cudnn.call("cudnnOpTensor", cudnn.handle(), mul, call.scalar(dt, 1), pd, w, call.scalar(dt, 1), pd,
                                CudnnCall.device(invStd), call.scalar(dt, 0), pd, k);
                    }
                    cudnn.call("cudnnOpTensor", cudnn.handle(), mul, call.scalar(dt, 1), xd, CudnnCall.device(gradY),
                            call.scalar(dt, 1), pd, k, call.scalar(dt, 0), xd, CudnnCall.device(gradX));
                }
            }
        }
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor saveMean,
                          Tensor saveInvStd) {
        layerNorm.forward(x, weight, bias, eps, y, saveMean, saveInvStd);
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor gradY, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                                  Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        layerNorm.backward(x, gradY, weight, saveMean, saveInvStd, gradX, gradWeight, gradBias);
    }

    private record Pair(MemorySegment first, MemorySegment second) {}

    /** x and its same-shaped partner: contiguous, rank >= 2, same shape, one floating dtype. */
    private static DType data(String op, Tensor x, Tensor other) {
        DType dt = CudaChecks.floating(op, x);
        CudaChecks.operand(op, "x", x, dt);
        if (x.dim() < 2) {
            throw new IllegalArgumentException("cuda " + op + ": expected x of rank >= 2 ([N, C, ...]), got shape "
                    + Shape.str(x.shape()));
        }
        CudaChecks.operand(op, "second operand", other, dt);
        if (!java.util.Arrays.equals(x.shape(), other.shape())) {
            throw new IllegalArgumentException("cuda " + op + ": x " + Shape.str(x.shape()) + " and "
                    + Shape.str(other.shape()) + " must have the same shape");
        }
        return dt;
    }

    /** Per-channel tensors (null allowed): contiguous, of x's dtype, with C elements. */
    private static void channels(String op, DType dt, int c, String[] names, Tensor... ts) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == null) continue;
            CudaChecks.operand(op, names[i], ts[i], dt);
            if (ts[i].numel() != c) {
                throw new IllegalArgumentException("cuda " + op + ": " + names[i] + " " + Shape.str(ts[i].shape())
                        + " must hold C = " + c + " elements");
            }
        }
    }

    /** x [N, C, ...] as cuDNN's [N, C, S, 1]. */
    private static MemorySegment xDesc(CudnnCall call, Tensor x) {
        int n = x.size(0), c = x.size(1);
        int s = Math.toIntExact(x.numel() / ((long) n * c));
        return call.tensor(x.dtype(), n, c, s, 1);
    }

    /** The tensor's pointer, or a scratch [C] tensor filled with {@code value} when it is null. */
    private MemorySegment orFilled(CudnnCall call, DeviceScratch scratch, MemorySegment pd, DType dt, int c, Tensor t,
                                   double value) {
        if (t != null) return CudnnCall.device(t);
        MemorySegment p = CudnnCall.device(scratch.take((long) c * dt.byteSize()));
        cudnn.call("cudnnSetTensor", cudnn.handle(), pd, p, call.scalar(dt, value));
        return p;
    }

    /** cuDNN takes both tensors of a pair or neither: a missing one gets scratch memory. */
    private static Pair bothOrNeither(CudnnCall call, DeviceScratch scratch, MemorySegment pd, DType dt, int c, Tensor a,
                                      Tensor b) {
        if (a == null && b == null) return new Pair(MemorySegment.NULL, MemorySegment.NULL);
        long bytes = (long) c * dt.byteSize();
        return new Pair(a != null ? CudnnCall.device(a) : CudnnCall.device(scratch.take(bytes)),
                b != null ? CudnnCall.device(b) : CudnnCall.device(scratch.take(bytes)));
    }
}

package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Normalization;
import dev.myelin.cuda.kernels.Dim3;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.Launch;
import dev.myelin.cuda.runtime.CudaStorage;
import dev.myelin.cuda.runtime.Cudnn;
import dev.myelin.cuda.runtime.CudnnCall;
import dev.myelin.cuda.runtime.DeviceContext;
import dev.myelin.cuda.runtime.DeviceScratch;

import java.lang.foreign.MemorySegment;

import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_BACKWARD_BLOCK;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_BACKWARD_WARP;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_BLOCK;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_PARAMS;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_PARAMS_FINISH;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_WARP;

/**
 * CUDA kernels of the Normalization family: batch norm on cuDNN (spatial mode, x seen as
 * [N, C, S, 1]); layer norm on Myelin's own kernels (layernorm.cu).
 *
 * <p>cuDNN's conventions are the core's: its saved inverse variance is {@code 1/sqrt(var + eps)}
 * of the biased batch variance, and its running update is
 * {@code running = (1 - factor) * running + factor * stat} with the unbiased variance for
 * running_var, so momentum is passed as cuDNN's exponential average factor unchanged. Missing
 * optional tensors (no affine, no running statistics) are replaced by scratch ones where cuDNN
 * needs a pointer. The eval-mode backward (statistics as constants) is not a cuDNN function:
 * the parameter gradients come from cuDNN's backward (they do not depend on the mode) and
 * {@code gradX = gradY * weight * invStd} from cudnnOpTensor.
 *
 * <p>Layer norm: x is [M, D] (M = saveMean's length), weight and bias [D] or null. The
 * statistics, the output and the input gradient take a warp per row (D up to {@link #WARP_ROW})
 * or a block; the weight and bias gradients are column sums over row chunks chosen from the
 * shape, folded in chunk order. Arithmetic follows the CPU backend's LayerNormF32 / LayerNormF64.
 */
public final class CudaNormalization implements Normalization {
    /** Passed to the backward, where cuDNN ignores it because the saved statistics are given. */
    private static final double BACKWARD_EPS = 1e-5;

    /** Longest layer-norm row a warp takes; longer rows get a whole block. */
    static final long WARP_ROW = 1024;
    /** Rows per chunk of the layer-norm weight and bias gradients, and the most chunks. */
    static final long PARAM_ROWS = 512, MAX_PARAM_CHUNKS = 512;

    private final Cudnn cudnn;
    private final DeviceContext device;
    private final KernelRunner runner;
    private final CudaElementwise elementwise;

    /**
     * Batch norm on {@code cudnn} in {@code device}'s context, layer norm through {@code runner}.
     * Tests that only run layer norm may pass null for the first two.
     * Internal: not part of the API.
     */
    public CudaNormalization(Cudnn cudnn, DeviceContext device, KernelRunner runner) {
        this.cudnn = cudnn;
        this.device = device;
        this.runner = runner;
        this.elementwise = new CudaElementwise(runner);
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
        Checks.operand(op, "runningMean", runningMean, dt);
        Checks.operand(op, "runningVar", runningVar, dt);
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
        Checks.operand(op, "gradX", gradX, dt);
        Checks.operand(op, "mean", mean, dt);
        Checks.operand(op, "invStd", invStd, dt);
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
                        cudnn.call("cudnnOpTensor", cudnn.handle(), mul, call.scalar(dt, 1), pd, w,
                                call.scalar(dt, 1), pd, CudnnCall.device(invStd), call.scalar(dt, 0), pd, k);
                    }
                    cudnn.call("cudnnOpTensor", cudnn.handle(), mul, call.scalar(dt, 1), xd, CudnnCall.device(gradY),
                            call.scalar(dt, 1), pd, k, call.scalar(dt, 0), xd, CudnnCall.device(gradX));
                }
            }
        }
    }

    /** Layer norm over the last D elements of each of M rows; saveMean and saveInvStd [M] are written. */
    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor saveMean,
                          Tensor saveInvStd) {
        String op = "layerNorm";
        long rows = saveMean.numel(), cols = layerNormCols(op, x, rows);
        Checks.contiguous(op, x, y);
        layerNormDtype(op, x, weight, bias, y, saveMean, saveInvStd);
        Checks.numel(op, "weight", weight, cols);
        Checks.numel(op, "bias", bias, cols);
        Checks.numel(op, "saveInvStd", saveInvStd, rows);
        Checks.numel(op, "y", y, x.numel());
        if (rows == 0 || cols == 0) return;
        try (Scratch scratch = new Scratch(x)) {
            Tensor w = elementwise.contiguous(scratch, weight), b = elementwise.contiguous(scratch, bias);
            Tensor mean = elementwise.contiguous(scratch, saveMean), inv = elementwise.contiguous(scratch, saveInvStd);
            boolean warp = cols <= WARP_ROW;
            runner.launch(warp ? LAYERNORM_WARP : LAYERNORM_BLOCK, x.dtype(),
                    Launch.groups(rows, warp ? Launch.WARP : Launch.BLOCK), Launch.block(), KernelCall.of()
                            .ptr(x).ptrOrNull(w).ptrOrNull(b).f64(eps).ptr(y).ptr(mean).ptr(inv).i64(rows).i64(cols));
            if (mean != saveMean) elementwise.copy(mean, saveMean);
            if (inv != saveInvStd) elementwise.copy(inv, saveInvStd);
        }
    }

    /** Layer norm backward: gradX always; gradWeight and gradBias when not null. */
    @Override
    public void layerNormBackward(Tensor x, Tensor gradY, Tensor weight, Tensor saveMean, Tensor saveInvStd,
                                  Tensor gradX, Tensor gradWeight, Tensor gradBias) {
        String op = "layerNormBackward";
        long rows = saveMean.numel(), cols = layerNormCols(op, x, rows);
        Checks.contiguous(op, x, gradY, gradX);
        layerNormDtype(op, x, weight, gradY, saveMean, saveInvStd, gradX, gradWeight, gradBias);
        Checks.numel(op, "weight", weight, cols);
        Checks.numel(op, "saveInvStd", saveInvStd, rows);
        Checks.numel(op, "gradY", gradY, x.numel());
        Checks.numel(op, "gradX", gradX, x.numel());
        Checks.numel(op, "gradWeight", gradWeight, cols);
        Checks.numel(op, "gradBias", gradBias, cols);
        if (cols == 0) return;
        DType dt = x.dtype();
        try (Scratch scratch = new Scratch(x)) {
            if (rows == 0) {
                // No rows: the parameter gradients are empty sums.
                if (gradWeight != null) elementwise.fill(gradWeight, 0);
                if (gradBias != null) elementwise.fill(gradBias, 0);
                return;
            }
            Tensor w = elementwise.contiguous(scratch, weight);
            Tensor mean = elementwise.contiguous(scratch, saveMean), inv = elementwise.contiguous(scratch, saveInvStd);
            boolean warp = cols <= WARP_ROW;
            runner.launch(warp ? LAYERNORM_BACKWARD_WARP : LAYERNORM_BACKWARD_BLOCK, dt,
                    Launch.groups(rows, warp ? Launch.WARP : Launch.BLOCK), Launch.block(), KernelCall.of()
                            .ptr(x).ptr(gradY).ptrOrNull(w).ptr(mean).ptr(inv).ptr(gradX).i64(rows).i64(cols));
            if (gradWeight == null && gradBias == null) return;
            Tensor gw = gradWeight == null ? null : elementwise.contiguous(scratch, gradWeight);
            Tensor gb = gradBias == null ? null : elementwise.contiguous(scratch, gradBias);
            long tiles = (cols + Launch.WARP - 1) / Launch.WARP;
            long chunks = tiles >= 256 ? 1 : Math.max(1, Math.min(MAX_PARAM_CHUNKS, rows / PARAM_ROWS));
            Tensor partials = chunks > 1 ? scratch.empty(DType.FLOAT64, 2 * chunks * cols) : null;
            Dim3 grid = Dim3.of((int) Math.min(Launch.MAX_BLOCKS, tiles), (int) chunks);
            runner.launch(LAYERNORM_PARAMS, dt, grid, Launch.block(), KernelCall.of().ptr(x).ptr(gradY).ptr(mean)
                    .ptr(inv).i64(rows).i64(cols).ptrOrNull(partials).ptrOrNull(gw).ptrOrNull(gb));
            if (partials != null) {
                runner.launch(LAYERNORM_PARAMS_FINISH, dt, Launch.threads(cols), Launch.block(),
                        KernelCall.of().ptr(partials).i64(chunks).i64(cols).ptrOrNull(gw).ptrOrNull(gb));
            }
            if (gw != null && gw != gradWeight) elementwise.copy(gw, gradWeight);
            if (gb != null && gb != gradBias) elementwise.copy(gb, gradBias);
        }
    }

    /** D of a layer norm whose x has {@code rows} rows. */
    private static long layerNormCols(String kernel, Tensor x, long rows) {
        if (rows == 0) return x.dim() == 0 ? 1 : x.size(x.dim() - 1);
        if (x.numel() % rows != 0) {
            throw new IllegalArgumentException("cuda " + kernel + ": input of shape " + Shape.str(x.shape())
                    + " does not split into " + rows + " rows");
        }
        return x.numel() / rows;
    }

    private static void layerNormDtype(String kernel, Tensor x, Tensor... others) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("cuda " + kernel + ": expected float32 or float64, got " + x.dtype());
        }
        Checks.sameDtype("cuda " + kernel, x.dtype(), others);
    }

    private record Pair(MemorySegment first, MemorySegment second) {}

    /** x and its same-shaped partner: contiguous, rank >= 2, same shape, one floating dtype. */
    private static DType data(String op, Tensor x, Tensor other) {
        DType dt = Checks.floatingDtype(op, x);
        Checks.operand(op, "x", x, dt);
        if (x.dim() < 2) {
            throw new IllegalArgumentException("cuda " + op + ": expected x of rank >= 2 ([N, C, ...]), got shape "
                    + Shape.str(x.shape()));
        }
        Checks.operand(op, "second operand", other, dt);
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
            Checks.operand(op, names[i], ts[i], dt);
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
    private static Pair bothOrNeither(CudnnCall call, DeviceScratch scratch, MemorySegment pd, DType dt, int c,
            Tensor a, Tensor b) {
        if (a == null && b == null) return new Pair(MemorySegment.NULL, MemorySegment.NULL);
        long bytes = (long) c * dt.byteSize();
        return new Pair(a != null ? CudnnCall.device(a) : CudnnCall.device(scratch.take(bytes)),
                b != null ? CudnnCall.device(b) : CudnnCall.device(scratch.take(bytes)));
    }
}

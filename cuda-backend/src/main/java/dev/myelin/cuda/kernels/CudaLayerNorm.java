package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.cuda.LayerNormKernels;
import dev.myelin.cuda.Dim3;

import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_BACKWARD_BLOCK;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_BACKWARD_WARP;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_BLOCK;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_PARAMS;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_PARAMS_FINISH;
import static dev.myelin.cuda.kernels.KernelCatalog.LAYERNORM_WARP;

/**
 * Layer norm on Myelin's own kernels (layernorm.cu), for the Normalization family of the CUDA
 * backend: x is [M, D] (M = saveMean's length), weight and bias [D] or null. The statistics, the
 * output and the input gradient take a warp per row (D up to {@link #WARP_ROW}) or a block; the
 * weight and bias gradients are column sums over row chunks chosen from the shape, folded in
 * chunk order. Arithmetic follows the CPU backend's LayerNormF32 / LayerNormF64.
 */
public final class CudaLayerNorm implements LayerNormKernels {
    static final long WARP_ROW = 1024;
    /** Rows per chunk of the weight and bias gradients, and the most chunks. */
    static final long PARAM_ROWS = 512, MAX_PARAM_CHUNKS = 512;

    private final KernelRunner runner;
    private final CudaElementwise elementwise;

    public CudaLayerNorm() {
        this(CudaKernelRunner.INSTANCE);
    }

    public CudaLayerNorm(KernelRunner runner) {
        this.runner = runner;
        this.elementwise = new CudaElementwise(runner);
    }

    /** Forward over the last D elements of each of M rows; saveMean and saveInvStd [M] are written. */
    @Override
    public void forward(Tensor x, Tensor weight, Tensor bias, double eps, Tensor y, Tensor saveMean, Tensor saveInvStd) {
        String op = "layerNorm";
        long rows = saveMean.numel(), cols = cols(op, x, rows);
        Checks.contiguous(op, x, y);
        checkDtype(op, x, weight, bias, y, saveMean, saveInvStd);
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

    /** Backward: gradX always; gradWeight and gradBias when not null. */
    @Override
    public void backward(Tensor x, Tensor gradY, Tensor weight, Tensor saveMean, Tensor saveInvStd, Tensor gradX,
                         Tensor gradWeight, Tensor gradBias) {
        String op = "layerNormBackward";
        long rows = saveMean.numel(), cols = cols(op, x, rows);
        Checks.contiguous(op, x, gradY, gradX);
        checkDtype(op, x, weight, gradY, saveMean, saveInvStd, gradX, gradWeight, gradBias);
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
    private static long cols(String kernel, Tensor x, long rows) {
        if (rows == 0) return x.dim() == 0 ? 1 : x.size(x.dim() - 1);
        if (x.numel() % rows != 0) {
            throw new IllegalArgumentException("cuda " + kernel + ": input of shape " + Shape.str(x.shape())
                    + " does not split into " + rows + " rows");
        }
        return x.numel() / rows;
    }

    private static void checkDtype(String kernel, Tensor x, Tensor... others) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("cuda " + kernel + ": expected float32 or float64, got " + x.dtype());
        }
        Checks.sameDtype("cuda " + kernel, x.dtype(), others);
    }
}

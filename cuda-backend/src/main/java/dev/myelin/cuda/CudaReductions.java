package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Reductions;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.Launch;

import static dev.myelin.cuda.kernels.KernelCatalog.ARG_COLUMNS;
import static dev.myelin.cuda.kernels.KernelCatalog.ARG_ROWS_BLOCK;
import static dev.myelin.cuda.kernels.KernelCatalog.ARG_ROWS_WARP;
import static dev.myelin.cuda.kernels.KernelCatalog.REDUCE_BLOCK;
import static dev.myelin.cuda.kernels.KernelCatalog.REDUCE_COLUMNS;
import static dev.myelin.cuda.kernels.KernelCatalog.REDUCE_FINISH;
import static dev.myelin.cuda.kernels.KernelCatalog.REDUCE_WARP;

/**
 * CUDA kernels of the Reductions family (reductions.cu), planned by {@link ReducePlan}. Floating
 * inputs accumulate in double and integers in 64 bits, as the CPU backend; variance merges
 * per-chunk (mean, M2) pairs with Chan et al.'s formula, as the CPU does per part.
 */
public final class CudaReductions implements Reductions {
    /** reductions.cu's op code of variance, after the ordinals of Reductions.Op. */
    static final int VAR = 4;
    /** Longest argmax row a warp takes. */
    static final long WARP_ROW = 1024;

    private final KernelRunner runner;
    private final CudaElementwise elementwise;

    /** The family on kernels launched through {@code runner} (the driver's, or a test's). */
    public CudaReductions(KernelRunner runner) {
        this.runner = runner;
        this.elementwise = new CudaElementwise(runner);
    }

    @Override
    public void reduce(Op op, Tensor x, Tensor out) {
        String name = op.name().toLowerCase();
        Checks.contiguous(name, x, out);
        Checks.sameDtype(name, x.dtype(), out);
        if (out.numel() == 0) return;
        if (x.numel() == 0) {
            // Only SUM and MEAN reach here (the core rejects empty max/min): 0, and 0/0.
            elementwise.fill(out, op == Op.MEAN ? Double.NaN : 0);
            return;
        }
        ReducePlan plan = ReducePlan.of(name, x.shape(), out.shape());
        run(name, op.ordinal(), x, out, plan, op == Op.MEAN ? plan.count : 1);
    }

    @Override
    public void variance(Tensor x, int correction, Tensor out) {
        Checks.contiguous("var", x, out);
        Checks.floating("var", x);
        Checks.sameDtype("var", x.dtype(), out);
        if (out.numel() == 0) return;
        if (x.numel() == 0) {
            elementwise.fill(out, Double.NaN);
            return;
        }
        ReducePlan plan = ReducePlan.of("var", x.shape(), out.shape());
        run("var", VAR, x, out, plan, Math.max(0, plan.count - correction));
    }

    private void run(String name, int op, Tensor x, Tensor out, ReducePlan plan, double divisor) {
        DType dt = x.dtype();
        DType acc = dt.isFloating() ? DType.FLOAT64 : DType.INT64;
        try (Scratch scratch = new Scratch(out)) {
            long pairs = op == VAR ? 2 : 1;
            Tensor partials = plan.chunks > 1 ? scratch.empty(acc, plan.chunks * plan.outputs * pairs) : null;
            switch (plan.kind) {
                case WARP -> runner.launch(REDUCE_WARP, dt, Launch.groups(plan.outputs, Launch.WARP), Launch.block(),
                        KernelCall.of().i32(op).ptr(x).struct('D', plan.keptDims(name))
                                .struct('D', plan.reducedDims(name)).i64(plan.outputs).i64(plan.count).ptr(out)
                                .f64(divisor));
                case BLOCK -> runner.launch(REDUCE_BLOCK, dt, Launch.groups(plan.outputs * plan.chunks, Launch.BLOCK),
                        Launch.block(), KernelCall.of().i32(op).ptr(x).struct('D', plan.keptDims(name))
                                .struct('D', plan.reducedDims(name)).i64(plan.outputs).i64(plan.count).i64(plan.chunks)
                                .ptrOrNull(partials).ptr(out).f64(divisor));
                case COLUMNS -> {
                    long tiles = (plan.inner + Launch.WARP - 1) / Launch.WARP;
                    runner.launch(REDUCE_COLUMNS, dt, Launch.groups(plan.outer * tiles * plan.chunks, Launch.BLOCK),
                            Launch.block(), KernelCall.of().i32(op).ptr(x).i64(plan.outer).i64(plan.count)
                                    .i64(plan.inner).i64(plan.chunks).ptrOrNull(partials).ptr(out).f64(divisor));
                }
            }
            if (partials != null) {
                runner.launch(REDUCE_FINISH, dt, Launch.threads(plan.outputs), Launch.block(), KernelCall.of().i32(op)
                        .ptr(partials).i64(plan.chunks).i64(plan.outputs).i64(plan.count).ptr(out).f64(divisor));
            }
        }
    }

    /**
     * Index (int64) of the first maximum (minimum) along dim; the first NaN counts as the extreme,
     * as in PyTorch and the CPU backend.
     */
    @Override
    public void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        String name = max ? "argmax" : "argmin";
        Checks.contiguous(name, x, out);
        if (out.dtype() != DType.INT64) {
            throw new IllegalArgumentException(name + ": out must be int64, got " + out.dtype() + " with shape "
                    + Shape.str(out.shape()));
        }
        int[] shape = x.shape();
        if (shape.length > 0 && (dim < 0 || dim >= shape.length)) {
            throw new IllegalArgumentException(name + ": dim " + dim + " out of range for shape " + Shape.str(shape));
        }
        long n = shape.length == 0 ? 1 : shape[dim], inner = 1;
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        if (x.numel() == 0) return;
        long outer = x.numel() / (n * inner);
        Checks.numel(name, "out", out, outer * inner);
        DType dt = x.dtype();
        if (inner == 1) {
            boolean warp = n <= WARP_ROW;
            runner.launch(warp ? ARG_ROWS_WARP : ARG_ROWS_BLOCK, dt,
                    Launch.groups(outer, warp ? Launch.WARP : Launch.BLOCK),
                    Launch.block(), KernelCall.of().flag(max).ptr(x).i64(outer).i64(n).ptr(out));
        } else {
            runner.launch(ARG_COLUMNS, dt, Launch.threads(outer * inner), Launch.block(),
                    KernelCall.of().flag(max).ptr(x).i64(outer).i64(n).i64(inner).ptr(out));
        }
    }
}

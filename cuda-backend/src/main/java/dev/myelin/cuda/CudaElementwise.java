package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Elementwise;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelDtypes;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.Launch;

import static dev.myelin.cuda.kernels.KernelCatalog.BINARY;
import static dev.myelin.cuda.kernels.KernelCatalog.BINARY_ND;
import static dev.myelin.cuda.kernels.KernelCatalog.CLAMP;
import static dev.myelin.cuda.kernels.KernelCatalog.CLAMP_ND;
import static dev.myelin.cuda.kernels.KernelCatalog.COPY;
import static dev.myelin.cuda.kernels.KernelCatalog.COPY_ND;
import static dev.myelin.cuda.kernels.KernelCatalog.FILL;
import static dev.myelin.cuda.kernels.KernelCatalog.FILL_ND;
import static dev.myelin.cuda.kernels.KernelCatalog.SCALAR;
import static dev.myelin.cuda.kernels.KernelCatalog.SCALAR_ND;
import static dev.myelin.cuda.kernels.KernelCatalog.UNARY;
import static dev.myelin.cuda.kernels.KernelCatalog.UNARY_ND;
import static dev.myelin.cuda.kernels.KernelCatalog.WHERE;
import static dev.myelin.cuda.kernels.KernelCatalog.WHERE_ND;

/**
 * CUDA kernels of the Elementwise family (elementwise.cu). Operands are merged into as few
 * dimensions as their strides allow ({@link MergedLayout}): one dimension takes a kernel's linear
 * variant, anything else its Geometry variant. Semantics follow the CPU backend: float32 in
 * float except POW (double), integers in 64 bits with wrapping, Java's casts in copies. Mixed
 * dtypes (which the core never passes) compute as the CPU's generic path does: in double when a
 * floating type is involved, else in 64-bit integers.
 */
public final class CudaElementwise implements Elementwise {
    private final KernelRunner runner;

    /** The family on kernels launched through {@code runner} (the driver's, or a test's). */
    public CudaElementwise(KernelRunner runner) {
        this.runner = runner;
    }

    @Override
    public void fill(Tensor out, double value) {
        if (out.numel() == 0) return;
        MergedLayout m = MergedLayout.of(out.shape(), out);
        int code = KernelDtypes.code(out.dtype());
        if (m.linear()) {
            runner.launch(FILL, null, Launch.threads(m.numel()), Launch.block(),
                    KernelCall.of().i32(code).ptr(out).i64(m.stride(0)).i64(m.numel()).f64(value));
        } else {
            runner.launch(FILL_ND, null, Launch.threads(m.numel()), Launch.block(),
                    KernelCall.of().i32(code).ptr(out).i64(m.numel()).f64(value).struct('G', m.geometry("fill")));
        }
    }

    /** {@code dst = (dst dtype) src}: two views of one shape, any strides and dtypes. */
    @Override
    public void copy(Tensor src, Tensor dst) {
        Checks.sameShape("copy", "src", src, "dst", dst);
        if (dst.numel() == 0) return;
        MergedLayout m = MergedLayout.of(dst.shape(), src, dst);
        int sc = KernelDtypes.code(src.dtype()), dc = KernelDtypes.code(dst.dtype());
        if (m.linear()) {
            runner.launch(COPY, null, Launch.threads(m.numel()), Launch.block(), KernelCall.of()
                    .i32(sc).ptr(src).i64(m.stride(0)).i32(dc).ptr(dst).i64(m.stride(1)).i64(m.numel()));
        } else {
            runner.launch(COPY_ND, null, Launch.threads(m.numel()), Launch.block(), KernelCall.of()
                    .i32(sc).ptr(src).i32(dc).ptr(dst).i64(m.numel()).struct('G', m.geometry("copy")));
        }
    }

    @Override
    public void unary(Unary op, Tensor x, Tensor out) {
        String name = op.name().toLowerCase();
        Checks.contiguousOut(name, out);
        Checks.floating(name, x);
        Checks.sameDtype(name, x.dtype(), out);
        if (out.numel() == 0) return;
        MergedLayout m = MergedLayout.of(out.shape(), x);
        DType dt = x.dtype();
        if (m.linear()) {
            runner.launch(UNARY, dt, Launch.threads(m.numel()), Launch.block(),
                    KernelCall.of().i32(op.ordinal()).ptr(x).i64(m.stride(0)).ptr(out).i64(m.numel()));
        } else {
            runner.launch(UNARY_ND, dt, Launch.threads(m.numel()), Launch.block(),
                    KernelCall.of().i32(op.ordinal()).ptr(x).ptr(out).i64(m.numel()).struct('G', m.geometry(name)));
        }
    }

    @Override
    public void binary(Binary op, Tensor a, Tensor b, Tensor out) {
        String name = op.name().toLowerCase();
        Checks.contiguousOut(name, out);
        Checks.sameShape(name, "a", a, "out", out);
        Checks.sameShape(name, "b", b, "out", out);
        if (out.numel() == 0) return;
        if (a.dtype() != out.dtype() || b.dtype() != out.dtype()) {
            mixedBinary(op, a, b, out);
            return;
        }
        DType dt = out.dtype();
        boolean checkDivisor = op == Binary.DIV && !dt.isFloating();
        try (Scratch scratch = new Scratch(out)) {
            Tensor zeroDivisor = checkDivisor ? newFlag(scratch) : null;
            MergedLayout m = MergedLayout.of(out.shape(), a, b);
            if (m.linear()) {
                runner.launch(BINARY, dt, Launch.threads(m.numel()), Launch.block(), KernelCall.of().i32(op.ordinal())
                        .ptr(a).i64(m.stride(0)).ptr(b).i64(m.stride(1)).ptr(out).i64(m.numel())
                        .ptrOrNull(zeroDivisor));
            } else {
                runner.launch(BINARY_ND, dt, Launch.threads(m.numel()), Launch.block(),
                        KernelCall.of().i32(op.ordinal())
                        .ptr(a).ptr(b).ptr(out).i64(m.numel()).struct('G', m.geometry(name)).ptrOrNull(zeroDivisor));
            }
            if (checkDivisor && runner.readFlag(zeroDivisor) != -1) {
                throw new IllegalArgumentException("div: integer division by zero");
            }
        }
    }

    /** Mixed dtypes: compute in float64 (or int64 when all are integers), then cast into out, as the CPU. */
    private void mixedBinary(Binary op, Tensor a, Tensor b, Tensor out) {
        boolean floating = a.dtype().isFloating() || b.dtype().isFloating() || out.dtype().isFloating();
        DType work = floating ? DType.FLOAT64 : DType.INT64;
        try (Scratch scratch = new Scratch(out)) {
            Tensor wa = converted(scratch, a, work), wb = converted(scratch, b, work);
            Tensor wo = scratch.emptyShaped(work, out.shape());
            binary(op, wa, wb, wo);
            copy(wo, out);
        }
    }

    /**
     * The scalar takes the tensor's dtype first, as in PyTorch and the CPU backend: {@code x * 0.1}
     * on float32 multiplies by 0.1f; integer tensors take (long) s.
     */
    @Override
    public void binaryScalar(Binary op, Tensor a, double s, boolean scalarFirst, Tensor out) {
        String name = op.name().toLowerCase();
        Checks.contiguousOut(name, out);
        Checks.sameShape(name, "a", a, "out", out);
        Checks.sameDtype(name, out.dtype(), a);
        if (out.numel() == 0) return;
        DType dt = out.dtype();
        if (op == Binary.DIV && !dt.isFloating()) {
            boolean zeroDivisor = scalarFirst ? false : (long) s == 0;
            if (zeroDivisor) throw new IllegalArgumentException("div: integer division by zero");
            if (scalarFirst) {
                // s / a: the divisors are the tensor's elements.
                try (Scratch scratch = new Scratch(out)) {
                    Tensor full = scratch.emptyShaped(dt, out.shape());
                    fill(full, (long) s);
                    binary(op, full, a, out);
                }
                return;
            }
        }
        MergedLayout m = MergedLayout.of(out.shape(), a);
        if (m.linear()) {
            runner.launch(SCALAR, dt, Launch.threads(m.numel()), Launch.block(), KernelCall.of().i32(op.ordinal())
                    .ptr(a).i64(m.stride(0)).binaryScalar(dt, s).flag(scalarFirst).ptr(out).i64(m.numel()));
        } else {
            runner.launch(SCALAR_ND, dt, Launch.threads(m.numel()), Launch.block(), KernelCall.of().i32(op.ordinal())
                    .ptr(a).binaryScalar(dt, s).flag(scalarFirst).ptr(out).i64(m.numel())
                    .struct('G', m.geometry(name)));
        }
    }

    /** {@code out = min(max(x, lo), hi)}; NaN passes through; integers stay exact unless clamped. */
    @Override
    public void clamp(Tensor x, double lo, double hi, Tensor out) {
        Checks.contiguousOut("clamp", out);
        Checks.sameShape("clamp", "x", x, "out", out);
        Checks.sameDtype("clamp", out.dtype(), x);
        if (out.numel() == 0) return;
        DType dt = out.dtype();
        MergedLayout m = MergedLayout.of(out.shape(), x);
        if (m.linear()) {
            runner.launch(CLAMP, dt, Launch.threads(m.numel()), Launch.block(),
                    KernelCall.of().ptr(x).i64(m.stride(0)).f64(lo).f64(hi).ptr(out).i64(m.numel()));
        } else {
            runner.launch(CLAMP_ND, dt, Launch.threads(m.numel()), Launch.block(),
                    KernelCall.of().ptr(x).f64(lo).f64(hi).ptr(out).i64(m.numel()).struct('G', m.geometry("clamp")));
        }
    }

    /** {@code out = cond != 0 ? a : b}; cond of any dtype; a and b are cast to out's dtype when they differ. */
    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        Checks.contiguousOut("where", out);
        Checks.sameShape("where", "cond", cond, "out", out);
        Checks.sameShape("where", "a", a, "out", out);
        Checks.sameShape("where", "b", b, "out", out);
        if (out.numel() == 0) return;
        DType dt = out.dtype();
        try (Scratch scratch = new Scratch(out)) {
            Tensor ca = a.dtype() == dt ? a : converted(scratch, a, dt);
            Tensor cb = b.dtype() == dt ? b : converted(scratch, b, dt);
            MergedLayout m = MergedLayout.of(out.shape(), cond, ca, cb);
            int cc = KernelDtypes.code(cond.dtype());
            if (m.linear()) {
                runner.launch(WHERE, dt, Launch.threads(m.numel()), Launch.block(), KernelCall.of().i32(cc).ptr(cond)
                        .i64(m.stride(0)).ptr(ca).i64(m.stride(1)).ptr(cb).i64(m.stride(2)).ptr(out).i64(m.numel()));
            } else {
                runner.launch(WHERE_ND, dt, Launch.threads(m.numel()), Launch.block(), KernelCall.of().i32(cc)
                        .ptr(cond).ptr(ca).ptr(cb).ptr(out).i64(m.numel()).struct('G', m.geometry("where")));
            }
        }
    }

    // ---------------------------------------------------------------- helpers for the other launchers

    /** t itself when it is contiguous and of dtype, else a contiguous copy of it cast to dtype. */
    Tensor converted(Scratch scratch, Tensor t, DType dtype) {
        if (t.isContiguous() && t.dtype() == dtype) return t;
        Tensor c = scratch.emptyShaped(dtype, t.shape());
        copy(t, c);
        return c;
    }

    /** t itself when it is contiguous, else a contiguous copy. */
    Tensor contiguous(Scratch scratch, Tensor t) {
        return t == null ? null : converted(scratch, t, t.dtype());
    }

    /** An int64 "first flagged index" set to -1 (nothing flagged), for kernels that report a bad element. */
    Tensor newFlag(Scratch scratch) {
        Tensor flag = scratch.empty(DType.INT64, 1);
        fill(flag, -1);
        return flag;
    }

    KernelRunner runner() {
        return runner;
    }

    static String shape(Tensor t) {
        return Shape.str(t.shape());
    }
}

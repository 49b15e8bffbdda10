package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Elementwise;

/**
 * CPU kernels of the Elementwise family. Contiguous float32 operands (the training hot path) go
 * through the vector loops of {@link ElementwiseF32}, split across threads; everything else
 * (strided views, other dtypes, mixed cases) takes the generic element-by-element path.
 */
final class CpuElementwise implements Elementwise {
    @Override
    public void fill(Tensor out, double value) {
        Object a = Strided.array(out);
        int off = CpuStorage.off(out), n = Math.toIntExact(out.numel());
        switch (a) {
            case float[] f -> java.util.Arrays.fill(f, off, off + n, (float) value);
            case double[] d -> java.util.Arrays.fill(d, off, off + n, value);
            case int[] i -> java.util.Arrays.fill(i, off, off + n, (int) value);
            case long[] l -> java.util.Arrays.fill(l, off, off + n, (long) value);
            default -> throw new IllegalStateException();
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (src.dtype() == dst.dtype() && dst.isContiguous()) {
            int row = broadcastRow(src), n = Math.toIntExact(dst.numel());
            Object s = Strided.array(src), d = Strided.array(dst);
            int so = CpuStorage.off(src), dOff = CpuStorage.off(dst);
            if (row == n) {
                System.arraycopy(s, so, d, dOff, n);
                return;
            }
            if (row == 0) {
                fill(dst, Strided.get(s, so));
                return;
            }
            if (row > 0) {
                // A broadcast row (e.g. a reduced gradient expanded back): one arraycopy per row.
                for (int r = 0; r < n / row; r++) System.arraycopy(s, so, d, dOff + r * row, row);
                return;
            }
        }
        Object s = Strided.array(src), d = Strided.array(dst);
        int[] si = Strided.indices(src), di = Strided.indices(dst);
        for (int i = 0; i < si.length; i++) Strided.set(d, di[i], Strided.get(s, si[i]));
    }

    @Override
    public void unary(Unary op, Tensor x, Tensor out) {
        if (isF32(x, out) && x.isContiguous() && ElementwiseF32.vectorizes(op)) {
            float[] xs = CpuStorage.f32(x), os = CpuStorage.f32(out);
            int xo = CpuStorage.off(x), oo = CpuStorage.off(out);
            Parallel.forRange(Math.toIntExact(x.numel()), 4,
                    (s, e) -> ElementwiseF32.unary(op, xs, xo + s, os, oo + s, e - s));
            return;
        }
        Object xs = Strided.array(x), o = Strided.array(out);
        int[] xi = Strided.indices(x);
        int off = CpuStorage.off(out);
        for (int i = 0; i < xi.length; i++) Strided.set(o, off + i, apply(op, Strided.get(xs, xi[i])));
    }

    static double apply(Unary op, double v) {
        return switch (op) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case SIGN -> Math.signum(v);
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case LOG1P -> Math.log1p(v);
            case SQRT -> Math.sqrt(v);
            case RSQRT -> 1 / Math.sqrt(v);
            case SQUARE -> v * v;
            case RECIPROCAL -> 1 / v;
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
        };
    }

    @Override
    public void binary(Binary op, Tensor a, Tensor b, Tensor out) {
        if (isF32(a, out) && b.dtype() == DType.FLOAT32 && ElementwiseF32.vectorizes(op) && binaryF32(op, a, b, out)) {
            return;
        }
        Object as = Strided.array(a), bs = Strided.array(b), o = Strided.array(out);
        int[] ai = Strided.indices(a), bi = Strided.indices(b);
        int off = CpuStorage.off(out);
        for (int i = 0; i < ai.length; i++) {
            Strided.set(o, off + i, apply(op, Strided.get(as, ai[i]), Strided.get(bs, bi[i])));
        }
    }

    static double apply(Binary op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case POW -> Math.pow(x, y);
            case MAXIMUM -> (Double.isNaN(x) || Double.isNaN(y)) ? Double.NaN : Math.max(x, y);
            case MINIMUM -> (Double.isNaN(x) || Double.isNaN(y)) ? Double.NaN : Math.min(x, y);
            case EQ -> x == y ? 1 : 0;
            case NE -> x != y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
        };
    }

    @Override
    public void binaryScalar(Binary op, Tensor a, double s, boolean scalarFirst, Tensor out) {
        if (isF32(a, out) && a.isContiguous() && ElementwiseF32.vectorizes(op)) {
            float[] as = CpuStorage.f32(a), os = CpuStorage.f32(out);
            int ao = CpuStorage.off(a), oo = CpuStorage.off(out);
            Parallel.forRange(Math.toIntExact(a.numel()), 1,
                    (from, to) -> ElementwiseF32.scalar(op, as, ao + from, (float) s, scalarFirst, os, oo + from, to - from));
            return;
        }
        Object as = Strided.array(a), o = Strided.array(out);
        int[] ai = Strided.indices(a);
        int off = CpuStorage.off(out);
        for (int i = 0; i < ai.length; i++) {
            double v = Strided.get(as, ai[i]);
            Strided.set(o, off + i, scalarFirst ? apply(op, s, v) : apply(op, v, s));
        }
    }

    @Override
    public void clamp(Tensor x, double lo, double hi, Tensor out) {
        Object xs = Strided.array(x), o = Strided.array(out);
        int[] xi = Strided.indices(x);
        int off = CpuStorage.off(out);
        for (int i = 0; i < xi.length; i++) {
            double v = Strided.get(xs, xi[i]);
            Strided.set(o, off + i, Double.isNaN(v) ? v : Math.min(Math.max(v, lo), hi));
        }
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        Object cs = Strided.array(cond), as = Strided.array(a), bs = Strided.array(b), o = Strided.array(out);
        int[] ci = Strided.indices(cond), ai = Strided.indices(a), bi = Strided.indices(b);
        int off = CpuStorage.off(out);
        for (int i = 0; i < ci.length; i++) {
            Strided.set(o, off + i, Strided.get(cs, ci[i]) != 0 ? Strided.get(as, ai[i]) : Strided.get(bs, bi[i]));
        }
    }

    private static boolean isF32(Tensor x, Tensor out) {
        return x.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32;
    }

    /**
     * The vectorized cases of a binary op: one operand contiguous and the other contiguous, a
     * broadcast scalar, or a broadcast row (a bias: zero strides then a contiguous suffix).
     * Returns false when none applies.
     */
    private static boolean binaryF32(Binary op, Tensor a, Tensor b, Tensor out) {
        boolean commutes = op == Binary.ADD || op == Binary.MUL || op == Binary.MAXIMUM || op == Binary.MINIMUM;
        if (!a.isContiguous()) {
            if (!commutes || !b.isContiguous()) return false;
            Tensor t = a;
            a = b;
            b = t;
        }
        int row = broadcastRow(b);
        if (row < 0) return false;
        float[] as = CpuStorage.f32(a), bs = CpuStorage.f32(b), os = CpuStorage.f32(out);
        int ao = CpuStorage.off(a), bo = CpuStorage.off(b), oo = CpuStorage.off(out);
        int n = Math.toIntExact(out.numel());
        if (row == 0 || row == n) {
            boolean scalar = row == 0;
            Parallel.forRange(n, 1, (s, e) -> ElementwiseF32.binary(op, as, ao + s, bs, bo + (scalar ? 0 : s), scalar,
                    os, oo + s, e - s));
        } else {
            Parallel.forRange(n / row, row, (s, e) -> {
                for (int r = s; r < e; r++) {
                    ElementwiseF32.binary(op, as, ao + r * row, bs, bo, false, os, oo + r * row, row);
                }
            });
        }
        return true;
    }

    /**
     * For a view whose strides are zero on leading dims and contiguous on the rest, the length of
     * that contiguous row (0 when every stride is zero, numel when fully contiguous); else -1.
     */
    private static int broadcastRow(Tensor t) {
        int[] shape = t.shape();
        long[] strides = t.strides();
        long expected = 1;
        int d = shape.length - 1;
        for (; d >= 0; d--) {
            if (shape[d] == 1) continue;
            if (strides[d] != expected) break;
            expected *= shape[d];
        }
        for (; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != 0) return -1;
        }
        return expected == 1 && t.numel() > 1 ? 0 : (int) expected;
    }
}

package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Elementwise;

/** CPU kernels of the Elementwise family. */
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
        Object s = Strided.array(src), d = Strided.array(dst);
        int[] si = Strided.indices(src), di = Strided.indices(dst);
        for (int i = 0; i < si.length; i++) Strided.set(d, di[i], Strided.get(s, si[i]));
    }

    @Override
    public void unary(Unary op, Tensor x, Tensor out) {
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
}

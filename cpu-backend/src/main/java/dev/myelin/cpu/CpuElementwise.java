package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Elementwise;

import java.util.Arrays;

/**
 * CPU kernels of the Elementwise family. Every kernel walks its operands with {@link Strided.Walk},
 * which turns contiguous tensors into one long run and the usual broadcasts (a scalar, a bias row,
 * one value per row) into runs of step 0 or 1; {@link VecFloat} vectorizes float32 runs, and large
 * walks are split over threads. Float64 (the reference path), integer tensors, mixed dtypes and
 * other strides take the scalar loops of {@link ElementwiseScalar} over the same runs.
 */
final class CpuElementwise implements Elementwise {
    /** Relative cost of an element of a transcendental op, for the parallel split. */
    private static final long TRANSCENDENTAL = 10;

    @Override
    public void fill(Tensor out, double value) {
        Strided.Walk w = new Strided.Walk(out.shape(), out);
        int step = w.step(0);
        Object a = Strided.array(out);
        w.forEach(1, (off, n) -> {
            int o = off[0];
            if (step == 1) {
                switch (a) {
                    case float[] f -> Arrays.fill(f, o, o + n, (float) value);
                    case double[] d -> Arrays.fill(d, o, o + n, value);
                    case int[] i -> Arrays.fill(i, o, o + n, (int) value);
                    case long[] l -> Arrays.fill(l, o, o + n, (long) value);
                    default -> throw new IllegalStateException("unexpected storage " + a.getClass());
                }
            } else {
                for (int i = 0; i < n; i++) Strided.set(a, o + i * step, value);
            }
        });
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Strided.Walk w = new Strided.Walk(dst.shape(), src, dst);
        Object s = Strided.array(src), d = Strided.array(dst);
        int ss = w.step(0), ds = w.step(1);
        w.forEach(1, (off, n) -> ElementwiseCopy.run(s, off[0], ss, d, off[1], ds, n));
    }

    @Override
    public void unary(Unary op, Tensor x, Tensor out) {
        requireContiguousOut(op.name().toLowerCase(), out);
        Strided.Walk w = new Strided.Walk(out.shape(), x, out);
        int xs = w.step(0);
        long cost = switch (op) {
            case NEG, ABS, SIGN, SQUARE, SQRT, RSQRT, RECIPROCAL -> 1;
            default -> TRANSCENDENTAL;
        };
        Object xa = Strided.array(x), oa = Strided.array(out);
        if (xa instanceof float[] xf && oa instanceof float[] of) {
            w.forEach(cost, (off, n) -> VecFloat.unary(op, xf, off[0], xs, of, off[1], n));
        } else {
            w.forEach(cost, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    Strided.set(oa, off[1] + i, ElementwiseScalar.apply(op, Strided.get(xa, off[0] + i * xs)));
                }
            });
        }
    }

    @Override
    public void binary(Binary op, Tensor a, Tensor b, Tensor out) {
        requireContiguousOut(op.name().toLowerCase(), out);
        Strided.Walk w = new Strided.Walk(out.shape(), a, b, out);
        int as = w.step(0), bs = w.step(1);
        long cost = op == Binary.POW ? TRANSCENDENTAL : 1;
        Object x = Strided.array(a), y = Strided.array(b), o = Strided.array(out);
        boolean same = x.getClass() == o.getClass() && y.getClass() == o.getClass();
        switch (o) {
            case float[] of when same -> {
                float[] xf = (float[]) x, yf = (float[]) y;
                w.forEach(cost, (off, n) -> VecFloat.binary(op, xf, off[0], as, yf, off[1], bs, of, off[2], n));
            }
            default -> {
                boolean integral = !ElementwiseCopy.isFloating(x) && !ElementwiseCopy.isFloating(y)
                        && !ElementwiseCopy.isFloating(o);
                w.forEach(cost, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        int xi = off[0] + i * as, yi = off[1] + i * bs;
                        if (integral) {
                            Strided.setLong(o, off[2] + i,
                                    ElementwiseScalar.applyLong(op, Strided.getLong(x, xi), Strided.getLong(y, yi)));
                        } else {
                            Strided.set(o, off[2] + i,
                                    ElementwiseScalar.apply(op, Strided.get(x, xi), Strided.get(y, yi)));
                        }
                    }
                });
            }
        }
    }

    /**
     * The scalar takes the tensor's dtype first, as in PyTorch: {@code x * 0.1} on float32
     * multiplies by 0.1f. Integer tensors take integer scalars (the core checks).
     */
    @Override
    public void binaryScalar(Binary op, Tensor a, double s, boolean scalarFirst, Tensor out) {
        requireContiguousOut(op.name().toLowerCase(), out);
        Strided.Walk w = new Strided.Walk(out.shape(), a, out);
        int as = w.step(0);
        long cost = op == Binary.POW && s != 2 ? TRANSCENDENTAL : 1;
        Object x = Strided.array(a), o = Strided.array(out);
        switch (o) {
            case float[] of when x instanceof float[] xf -> {
                float fs = (float) s;
                w.forEach(cost, (off, n) -> {
                    if (as == 1) {
                        VecFloat.scalar(op, xf, off[0], fs, scalarFirst, of, off[1], n);
                    } else {
                        for (int i = 0; i < n; i++) {
                            double v = xf[off[0] + i * as];
                            of[off[1] + i] = (float) (scalarFirst ? ElementwiseScalar.apply(op, fs, v)
                                    : ElementwiseScalar.apply(op, v, fs));
                        }
                    }
                });
            }
            case double[] od when x instanceof double[] xd -> w.forEach(cost, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    double v = xd[off[0] + i * as];
                    od[off[1] + i] = scalarFirst ? ElementwiseScalar.apply(op, s, v)
                            : ElementwiseScalar.apply(op, v, s);
                }
            });
            default -> {
                long ls = (long) s;
                w.forEach(cost, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        long v = Strided.getLong(x, off[0] + i * as);
                        Strided.setLong(o, off[1] + i, scalarFirst ? ElementwiseScalar.applyLong(op, ls, v)
                                : ElementwiseScalar.applyLong(op, v, ls));
                    }
                });
            }
        }
    }

    @Override
    public void clamp(Tensor x, double lo, double hi, Tensor out) {
        requireContiguousOut("clamp", out);
        Strided.Walk w = new Strided.Walk(out.shape(), x, out);
        int xs = w.step(0);
        Object xa = Strided.array(x), oa = Strided.array(out);
        if (xa instanceof float[] xf && oa instanceof float[] of) {
            w.forEach(1, (off, n) -> VecFloat.clamp(xf, off[0], xs, (float) lo, (float) hi, of, off[1], n));
        } else if (xa instanceof double[] xd && oa instanceof double[] od) {
            w.forEach(1, (off, n) -> {
                for (int i = 0; i < n; i++) od[off[1] + i] = Math.min(Math.max(xd[off[0] + i * xs], lo), hi);
            });
        } else {
            // Integers: compare in double, but keep the value exact unless it is clamped.
            w.forEach(1, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    long v = Strided.getLong(xa, off[0] + i * xs);
                    Strided.setLong(oa, off[1] + i, v < lo ? (long) Math.ceil(lo) : v > hi ? (long) Math.floor(hi) : v);
                }
            });
        }
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        requireContiguousOut("where", out);
        Strided.Walk w = new Strided.Walk(out.shape(), cond, a, b, out);
        int cs = w.step(0), as = w.step(1), bs = w.step(2);
        Object c = Strided.array(cond), x = Strided.array(a), y = Strided.array(b), o = Strided.array(out);
        boolean same = x.getClass() == o.getClass() && y.getClass() == o.getClass();
        switch (o) {
            case float[] of when same -> w.forEach(1, (off, n) ->
                    VecFloat.where(c, off[0], cs, (float[]) x, off[1], as, (float[]) y, off[2], bs, of, off[3], n));
            default -> w.forEach(1, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    boolean take = Strided.get(c, off[0] + i * cs) != 0;
                    ElementwiseCopy.run(take ? x : y, take ? off[1] + i * as : off[2] + i * bs, 1, o, off[3] + i, 1, 1);
                }
            });
        }
    }

    /** Outputs are written with step 1 (the contract's contiguous out); a strided out would be corrupted. */
    private static void requireContiguousOut(String op, Tensor out) {
        if (!out.isContiguous() && out.numel() > 0) {
            throw new IllegalArgumentException(op + ": the output must be contiguous, got shape "
                    + dev.myelin.Shape.str(out.shape()) + " with strides " + Arrays.toString(out.strides()));
        }
    }
}

package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.backend.Reductions;

import java.util.Arrays;
import java.util.List;

import static dev.myelin.autograd.Autograd.NOTHING_SAVED;

/** Sums, means, extrema and variance over dimensions, with their gradients. */
public final class ReductionOps {
    private ReductionOps() {}

    /** dims null means all dimensions. */
    public static Tensor reduce(Reductions.Op op, Tensor x, int[] dims, boolean keepDim) {
        String name = op.name().toLowerCase();
        boolean[] reduced = reducedMask(name, x, dims);
        if ((op == Reductions.Op.MAX || op == Reductions.Op.MIN) && x.numel() == 0) {
            throw new IllegalArgumentException(name + ": cannot reduce an empty tensor of shape "
                    + Shape.str(x.shape()));
        }
        if (op == Reductions.Op.MEAN) ElementwiseOps.requireFloating(name, "input", x);
        int[] keepShape = keepShape(x.shape(), reduced);
        Tensor src = x.contiguous();
        Tensor kept = Tensor.empty(x.backend(), x.dtype(), keepShape);
        x.backend().reductions().reduce(op, src, kept);
        Tensor out = keepDim ? kept : dropDims(kept, reduced);
        if (!x.dtype().isFloating()) return out;
        long count = x.numel() / Math.max(1, Shape.numel(keepShape));
        int[] shape = x.shape();
        boolean extremum = op == Reductions.Op.MAX || op == Reductions.Op.MIN;
        Tensor[] saved = extremum ? new Tensor[] {x, out} : NOTHING_SAVED;
        return Autograd.record(name, out, new Tensor[] {x}, saved, g -> {
            Tensor gk = g.reshape(keepShape);
            Tensor gx = switch (op) {
                case SUM -> gk.expand(shape);
                case MEAN -> gk.div(count).expand(shape);
                case MAX, MIN -> {
                    Tensor hits = x.eq(kept.expand(shape));
                    Tensor ties = reduce(Reductions.Op.SUM, hits, dims, true);
                    yield hits.mul(gk.div(ties));
                }
            };
            return new Tensor[] {gx.contiguous()};
        });
    }

    /**
     * The sum of each tensor, as one vector {@code [n]} on the first one's device in the widest of
     * their dtypes; not recorded by autograd. Each reduction writes straight into its slot, so n
     * sums cost n reductions and a single transfer to read (the trainer's per-step finite check).
     */
    public static Tensor sumEach(List<Tensor> xs) {
        if (xs.isEmpty()) throw new IllegalArgumentException("sum_each: expects a non-empty list of tensors");
        Tensor first = xs.getFirst();
        DType dtype = first.dtype();
        for (Tensor x : xs) {
            ElementwiseOps.sameBackend("sum_each", first, x);
            dtype = DType.promote(dtype, x.dtype());
        }
        Tensor out = Tensor.empty(first.backend(), dtype, xs.size());
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = xs.get(i);
            int[] ones = new int[x.dim()];
            Arrays.fill(ones, 1);
            try (Tensor slot = out.viewOf(out.offset() + i, ones, Shape.contiguousStrides(ones))) {
                if (x.dtype() == dtype) {
                    x.backend().reductions().reduce(Reductions.Op.SUM, x.contiguous(), slot);
                } else {
                    Tensor kept = Tensor.empty(x.backend(), x.dtype(), ones);
                    x.backend().reductions().reduce(Reductions.Op.SUM, x.contiguous(), kept);
                    x.backend().elementwise().copy(kept, slot);
                    kept.close();
                }
            }
        }
        return out;
    }

    public static Tensor argReduce(boolean max, Tensor x, int dim, boolean keepDim) {
        String name = max ? "argmax" : "argmin";
        int d = Shape.dim(name, dim, x.dim());
        if (x.numel() == 0) {
            throw new IllegalArgumentException(name + ": empty tensor of shape " + Shape.str(x.shape()));
        }
        int[] keepShape = x.shape();
        if (keepShape.length > 0) keepShape[d] = 1;
        Tensor out = Tensor.empty(x.backend(), DType.INT64, keepShape);
        x.backend().reductions().argReduce(max, x.contiguous(), d, out);
        if (keepDim || x.dim() == 0) return out;
        return out.squeeze(d);
    }

    public static Tensor variance(Tensor x, int[] dims, int correction, boolean keepDim) {
        ElementwiseOps.requireFloating("var", "input", x);
        boolean[] reduced = reducedMask("var", x, dims);
        int[] keepShape = keepShape(x.shape(), reduced);
        long count = x.numel() / Math.max(1, Shape.numel(keepShape));
        Tensor kept = Tensor.empty(x.backend(), x.dtype(), keepShape);
        x.backend().reductions().variance(x.contiguous(), correction, kept);
        Tensor out = keepDim ? kept : dropDims(kept, reduced);
        return Autograd.record("var", out, new Tensor[] {x}, new Tensor[] {x}, g -> {
            Tensor mean = reduce(Reductions.Op.MEAN, x, dims, true);
            Tensor gx = x.sub(mean).mul(g.reshape(keepShape)).mul(2.0 / (count - correction));
            return new Tensor[] {gx};
        });
    }

    /** Sums a broadcast gradient back down to {@code shape} (the inverse of broadcasting). */
    public static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumTo: cannot reduce " + Shape.str(gs) + " to " + Shape.str(shape));
        }
        int[] dims = new int[gs.length];
        int n = 0;
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) dims[n++] = i;
        }
        Tensor summed = reduce(Reductions.Op.SUM, g, Arrays.copyOf(dims, n), true);
        return summed.reshape(shape);
    }

    private static boolean[] reducedMask(String op, Tensor x, int[] dims) {
        boolean[] reduced = new boolean[x.dim()];
        if (dims == null) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (int dim : dims) {
            int d = Shape.dim(op, dim, x.dim());
            if (x.dim() == 0) continue;
            if (reduced[d]) {
                throw new IllegalArgumentException(op + ": dim " + d + " appears twice in " + Arrays.toString(dims));
            }
            reduced[d] = true;
        }
        return reduced;
    }

    private static int[] keepShape(int[] shape, boolean[] reduced) {
        int[] keep = shape.clone();
        for (int i = 0; i < keep.length; i++) if (reduced[i]) keep[i] = 1;
        return keep;
    }

    private static Tensor dropDims(Tensor kept, boolean[] reduced) {
        int[] shape = kept.shape();
        int n = 0;
        for (boolean r : reduced) if (!r) n++;
        int[] out = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) if (!reduced[i]) out[j++] = shape[i];
        return kept.viewOf(kept.offset(), out, Shape.contiguousStrides(out));
    }
}

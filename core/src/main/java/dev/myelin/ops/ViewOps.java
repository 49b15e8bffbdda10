package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;

import java.util.Arrays;
import java.util.List;

import static dev.myelin.autograd.Autograd.NOTHING_SAVED;

/** Views (shared storage, new geometry), copies and concatenation, with their gradients. */
public final class ViewOps {
    private ViewOps() {}

    public static Tensor reshape(Tensor x, int... newShape) {
        int[] target = inferShape("reshape", x, newShape);
        Tensor src = x.contiguous();
        Tensor out = src.viewOf(src.offset(), target, Shape.contiguousStrides(target));
        return recordReshape("reshape", x, out);
    }

    public static Tensor view(Tensor x, int... newShape) {
        int[] target = inferShape("view", x, newShape);
        if (!x.isContiguous()) {
            throw new IllegalArgumentException("view: tensor of shape " + Shape.str(x.shape()) + " with strides "
                    + Arrays.toString(x.strides()) + " is not contiguous; use reshape()");
        }
        return recordReshape("view", x, x.viewOf(x.offset(), target, Shape.contiguousStrides(target)));
    }

    private static Tensor recordReshape(String op, Tensor x, Tensor out) {
        int[] original = x.shape();
        return Autograd.record(op, out, new Tensor[] {x}, NOTHING_SAVED, g -> new Tensor[] {g.reshape(original)});
    }

    private static int[] inferShape(String op, Tensor x, int[] newShape) {
        int[] target = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be -1, got "
                            + Shape.str(newShape));
                }
                infer = i;
            } else if (target[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + target[i] + " in " + Shape.str(newShape));
            } else {
                known *= target[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.numel() % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Shape.str(newShape)
                        + " is invalid for input of shape " + Shape.str(x.shape()));
            }
            target[infer] = (int) (x.numel() / known);
        }
        if (Shape.numel(target) != x.numel()) {
            throw new IllegalArgumentException(op + ": shape " + Shape.str(newShape) + " is invalid for input of shape "
                    + Shape.str(x.shape()) + " (" + x.numel() + " elements)");
        }
        return target;
    }

    public static Tensor flatten(Tensor x, int start, int end) {
        int rank = x.dim();
        if (rank == 0) return reshape(x, 1);
        int s = Shape.dim("flatten", start, rank), e = Shape.dim("flatten", end, rank);
        if (s > e) throw new IllegalArgumentException("flatten: start dim " + start + " is after end dim " + end);
        int[] shape = x.shape();
        int[] out = new int[rank - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) out[k++] = shape[i];
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= shape[i];
        out[k++] = merged;
        for (int i = e + 1; i < rank; i++) out[k++] = shape[i];
        return reshape(x, out);
    }

    public static Tensor transpose(Tensor x, int dim0, int dim1) {
        int rank = x.dim();
        if (rank == 0) return x;
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) perm[i] = i;
        int a = Shape.dim("transpose", dim0, rank), b = Shape.dim("transpose", dim1, rank);
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    public static Tensor permute(Tensor x, int... dims) {
        int rank = x.dim();
        if (dims.length != rank) {
            throw new IllegalArgumentException("permute: " + dims.length + " dims given for a tensor of shape "
                    + Shape.str(x.shape()));
        }
        int[] shape = x.shape();
        long[] strides = x.strides();
        int[] newShape = new int[rank];
        long[] newStrides = new long[rank];
        int[] inverse = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int d = Shape.dim("permute", dims[i], rank);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: dim " + d + " repeated in " + Arrays.toString(dims));
            }
            seen[d] = true;
            newShape[i] = shape[d];
            newStrides[i] = strides[d];
            inverse[d] = i;
        }
        Tensor out = x.viewOf(x.offset(), newShape, newStrides);
        return Autograd.record("permute", out, new Tensor[] {x}, NOTHING_SAVED, g -> new Tensor[] {g.permute(inverse)});
    }

    public static Tensor unsqueeze(Tensor x, int dim) {
        int rank = x.dim();
        int d = Shape.dim("unsqueeze", dim, rank + 1);
        int[] shape = new int[rank + 1];
        long[] strides = new long[rank + 1];
        int[] s = x.shape();
        long[] st = x.strides();
        for (int i = 0, j = 0; i <= rank; i++) {
            if (i == d) {
                shape[i] = 1;
                strides[i] = j < rank ? st[j] * s[j] : 1;
            } else {
                shape[i] = s[j];
                strides[i] = st[j++];
            }
        }
        int[] original = x.shape();
        Tensor out = x.viewOf(x.offset(), shape, strides);
        return Autograd.record("unsqueeze", out, new Tensor[] {x}, NOTHING_SAVED,
                g -> new Tensor[] {g.reshape(original)});
    }

    /** Removes dim if its size is 1 (otherwise returns x unchanged, as PyTorch). */
    public static Tensor squeeze(Tensor x, int dim) {
        int d = Shape.dim("squeeze", dim, x.dim());
        if (x.dim() == 0 || x.size(d) != 1) return x;
        int[] shape = new int[x.dim() - 1];
        long[] strides = new long[x.dim() - 1];
        for (int i = 0, j = 0; i < x.dim(); i++) {
            if (i == d) continue;
            shape[j] = x.size(i);
            strides[j++] = x.stride(i);
        }
        int[] original = x.shape();
        Tensor out = x.viewOf(x.offset(), shape, strides);
        return Autograd.record("squeeze", out, new Tensor[] {x}, NOTHING_SAVED,
                g -> new Tensor[] {g.reshape(original)});
    }

    public static Tensor expand(Tensor x, int... newShape) {
        int rank = newShape.length;
        int[] shape = x.shape();
        long[] strides = x.strides();
        if (rank < shape.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(shape) + " to "
                    + Shape.str(newShape));
        }
        int[] outShape = new int[rank];
        long[] outStrides = new long[rank];
        int lead = rank - shape.length;
        for (int i = 0; i < rank; i++) {
            int want = newShape[i];
            if (want < -1) {
                throw new IllegalArgumentException("expand: invalid size " + want + " in " + Shape.str(newShape));
            }
            if (i < lead) {
                if (want < 0) throw new IllegalArgumentException("expand: -1 not allowed for new leading dim " + i);
                outShape[i] = want;
                outStrides[i] = 0;
                continue;
            }
            int have = shape[i - lead];
            if (want == -1 || want == have) {
                outShape[i] = have;
                outStrides[i] = strides[i - lead];
            } else if (have == 1) {
                outShape[i] = want;
                outStrides[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: cannot expand shape " + Shape.str(shape) + " to "
                        + Shape.str(newShape) + " (dimension " + i + ": " + have + " vs " + want + ")");
            }
        }
        if (Arrays.equals(outShape, shape)) return x;
        int[] original = x.shape();
        Tensor out = x.viewOf(x.offset(), outShape, outStrides);
        return Autograd.record("expand", out, new Tensor[] {x}, NOTHING_SAVED,
                g -> new Tensor[] {ReductionOps.sumTo(g, original)});
    }

    public static Tensor slice(Tensor x, int dim, int start, int end) {
        requireDims("slice", x);
        int d = Shape.dim("slice", dim, x.dim());
        int size = x.size(d);
        int s = Math.max(0, Math.min(start < 0 ? start + size : start, size));
        int e = Math.max(s, Math.min(end < 0 ? end + size : end, size));
        int[] shape = x.shape();
        shape[d] = e - s;
        Tensor out = x.viewOf(x.offset() + s * x.stride(d), shape, x.strides());
        int[] original = x.shape();
        return Autograd.record("slice", out, new Tensor[] {x}, NOTHING_SAVED, g -> {
            Tensor gx = Creation.full(g.backend(), 0, g.dtype(), original);
            copyInto(g, gx.slice(d, s, e));
            return new Tensor[] {gx};
        });
    }

    public static Tensor select(Tensor x, int dim, int index) {
        requireDims("select", x);
        int d = Shape.dim("select", dim, x.dim());
        int size = x.size(d);
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IllegalArgumentException("select: index " + index + " out of range for dim " + dim + " of size "
                    + size);
        }
        return squeeze(slice(x, d, i, i + 1), d);
    }

    /** A contiguous copy; the gradient passes through unchanged. */
    public static Tensor copy(Tensor x) {
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.shape());
        x.backend().elementwise().copy(x, out);
        return Autograd.record("copy", out, new Tensor[] {x}, NOTHING_SAVED, g -> new Tensor[] {g});
    }

    public static void fillInPlace(Tensor t, double value) {
        if (t.isContiguous()) {
            t.backend().elementwise().fill(t, value);
        } else {
            Tensor src = Tensor.full(value, t.dtype());
            copyInto(src.to(t.device()), t);
        }
    }

    /** Copies src, broadcast to dst's shape and cast to its dtype, into the view dst. */
    public static void copyInto(Tensor src, Tensor dst) {
        if (src.backend() != dst.backend()) {
            // As torch's copy_: a source on another device is brought over first (a CPU checkpoint into a GPU model).
            try (Tensor local = Creation.copyTo(src, dst.backend())) {
                copyInto(local, dst);
            }
            return;
        }
        Tensor expanded;
        try (var ng = dev.myelin.autograd.GradMode.noGrad()) {
            expanded = Arrays.equals(src.shape(), dst.shape()) ? src : src.expand(dst.shape());
        }
        dst.backend().elementwise().copy(expanded, dst);
    }

    public static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: expects a non-empty list of tensors");
        Tensor first = tensors.get(0);
        requireDims("cat", first);
        int d = Shape.dim("cat", dim, first.dim());
        int[] shape = first.shape();
        int total = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            int[] s = t.shape();
            if (s.length != shape.length) {
                throw new IllegalArgumentException("cat: tensor " + i + " has shape " + Shape.str(s)
                        + ", rank differs from " + Shape.str(shape));
            }
            for (int k = 0; k < s.length; k++) {
                if (k != d && s[k] != shape[k]) {
                    throw new IllegalArgumentException("cat: tensor " + i + " has shape " + Shape.str(s)
                            + ", expected " + Shape.str(shape) + " except in dim " + d);
                }
            }
            ElementwiseOps.sameBackend("cat", first, t);
            total += s[d];
        }
        shape[d] = total;
        var dtype = first.dtype();
        for (Tensor t : tensors) dtype = dev.myelin.DType.promote(dtype, t.dtype());
        Tensor out = Tensor.empty(first.backend(), dtype, shape);
        int[] starts = new int[tensors.size() + 1];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            starts[i + 1] = starts[i] + t.size(d);
            Tensor target = out.viewOf(out.offset() + starts[i] * out.stride(d), withDim(shape, d, t.size(d)),
                    out.strides());
            out.backend().elementwise().copy(t, target);
            target.close();
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        return Autograd.record("cat", out, inputs, NOTHING_SAVED, g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].requiresGrad()) {
                    grads[i] = g.slice(d, starts[i], starts[i + 1]).to(inputs[i].dtype()).contiguous();
                }
            }
            return grads;
        });
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expects a non-empty list of tensors");
        int rank = tensors.get(0).dim() + 1;
        int d = Shape.dim("stack", dim, rank);
        return cat(tensors.stream().map(t -> t.unsqueeze(d)).toList(), d);
    }

    private static void requireDims(String op, Tensor x) {
        if (x.dim() == 0) throw new IllegalArgumentException(op + ": cannot be applied to a 0-dim tensor");
    }

    private static int[] withDim(int[] shape, int d, int size) {
        int[] s = shape.clone();
        s[d] = size;
        return s;
    }
}

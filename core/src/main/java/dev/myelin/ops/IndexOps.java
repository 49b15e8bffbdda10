package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.GradMode;

/**
 * torch.gather and Tensor.scatter_add with their gradients, on the Indexing kernels. The index
 * (int32 or int64) has the rank of the indexed tensor and, outside {@code dim}, sizes no larger
 * than its; only that part of the indexed tensor is read or written, as in PyTorch.
 */
public final class IndexOps {
    private IndexOps() {}

    /**
     * torch.gather(x, dim, index): {@code out[i][j][k] = x[index[i][j][k]][j][k]} for dim 0 (and
     * likewise for the other dims), out of index's shape. The gradient of x is the upstream
     * gradient scatter-added into zeros of x's shape; the index gets none.
     */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        String op = "gather";
        int d = checkIndex(op, x, "input", dim, index);
        Tensor out = Tensor.empty(x.backend(), x.dtype(), index.shape());
        if (out.numel() == 0) return out;
        try (var ng = GradMode.noGrad()) {
            x.backend().indexing().gather(restrict(x, d, index), d, atLeast1d(index.contiguous()), atLeast1d(out));
        }
        return Autograd.record(op, out, new Tensor[] {x}, new Tensor[] {index},
                g -> new Tensor[] {scatterAdd(Tensor.zerosLike(x.detach()), d, index, g)});
    }

    /**
     * Tensor.scatter_add(dim, index, src), out of place: a copy of self with
     * {@code out[index[i][j][k]][j][k] += src[i][j][k]} for dim 0 (likewise for the other dims), for
     * every position of index (src may be larger than index; the rest of it is not read). Gradients:
     * self gets the upstream gradient, src gets it gathered at index (0 where src is not read).
     */
    public static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src) {
        String op = "scatter_add";
        int d = checkIndex(op, self, "self", dim, index);
        ElementwiseOps.sameBackend(op, self, src);
        if (src.dtype() != self.dtype()) {
            throw new IllegalArgumentException(op + ": 'src' is " + src.dtype() + " but 'self' is " + self.dtype()
                    + " (shapes " + Shape.str(src.shape()) + " and " + Shape.str(self.shape()) + "); they must match");
        }
        if (src.dim() != index.dim()) {
            throw new IllegalArgumentException(op + ": 'src' of shape " + Shape.str(src.shape())
                    + " must have the rank of 'index' of shape " + Shape.str(index.shape()));
        }
        for (int k = 0; k < index.dim(); k++) {
            if (index.size(k) > src.size(k)) {
                throw new IllegalArgumentException(op + ": 'index' of shape " + Shape.str(index.shape())
                        + " is larger than 'src' of shape " + Shape.str(src.shape()) + " in dimension " + k);
            }
        }
        Tensor out = ViewOps.copy(self.detach());
        if (index.numel() > 0) {
            try (var ng = GradMode.noGrad()) {
                Tensor s = atLeast1d(slice(src.detach(), index.shape()).contiguous());
                self.backend().indexing().scatterAdd(s, d, atLeast1d(index.contiguous()), restrict(out, d, index));
            }
        }
        int[] srcShape = src.shape();
        return Autograd.record(op, out, new Tensor[] {self, src}, new Tensor[] {index}, g -> {
            Tensor gs = null;
            if (src.requiresGrad()) {
                gs = gather(g, d, index);
                if (!java.util.Arrays.equals(srcShape, index.shape())) gs = pad(gs, srcShape);
            }
            return new Tensor[] {self.requiresGrad() ? g : null, gs};
        });
    }

    /** Validates the index against the indexed tensor and returns the dimension, made non-negative. */
    private static int checkIndex(String op, Tensor x, String arg, int dim, Tensor index) {
        ElementwiseOps.requireFloating(op, arg, x);
        ElementwiseOps.sameBackend(op, x, index);
        if (index.dtype() != DType.INT32 && index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": 'index' must be int32 or int64, got " + index.dtype()
                    + " with shape " + Shape.str(index.shape()));
        }
        int rank = Math.max(1, x.dim());
        if (dim < -rank || dim >= rank) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for '" + arg + "' of shape "
                    + Shape.str(x.shape()));
        }
        int d = dim < 0 ? dim + rank : dim;
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": 'index' of shape " + Shape.str(index.shape()) + " must have the"
                    + " rank of '" + arg + "' of shape " + Shape.str(x.shape()));
        }
        for (int k = 0; k < x.dim(); k++) {
            if (k != d && index.size(k) > x.size(k)) {
                throw new IllegalArgumentException(op + ": 'index' of shape " + Shape.str(index.shape()) + " is larger"
                        + " than '" + arg + "' of shape " + Shape.str(x.shape()) + " in dimension " + k + " (only dim "
                        + d + " may differ)");
            }
        }
        return d;
    }

    /** x sliced to index's size in every dimension but d (a view); a zero-dimensional x as [1]. */
    private static Tensor restrict(Tensor x, int d, Tensor index) {
        if (x.dim() == 0) return x.reshape(1);
        int[] shape = index.shape().clone();
        shape[d] = x.size(d);
        return slice(x, shape);
    }

    /** A zero-dimensional tensor as [1] (a view), for the kernels; others as they are. */
    private static Tensor atLeast1d(Tensor t) {
        return t.dim() == 0 ? t.reshape(1) : t;
    }

    /** The leading [0, shape[k]) of x in every dimension k (x itself when nothing is cut). */
    private static Tensor slice(Tensor x, int[] shape) {
        Tensor v = x;
        for (int k = 0; k < shape.length; k++) if (v.size(k) != shape[k]) v = v.slice(k, 0, shape[k]);
        return v;
    }

    /** g placed at the leading corner of zeros of the given shape. */
    private static Tensor pad(Tensor g, int[] shape) {
        Tensor out = Tensor.empty(g.backend(), g.dtype(), shape);
        try (var ng = GradMode.noGrad()) {
            ViewOps.fillInPlace(out, 0);
            ViewOps.copyInto(g, slice(out, g.shape()));
        }
        return out;
    }
}

package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Activations;

import java.util.Arrays;

/** Matrix products (torch.matmul and linear) on the Blas kernels, with their gradients. */
public final class MatmulOps {
    private MatmulOps() {}

    /** torch.matmul: 1-D operands are promoted and the added dimension removed; batch dims broadcast. */
    public static Tensor matmul(Tensor a, Tensor b) {
        ElementwiseOps.sameBackend("matmul", a, b);
        ElementwiseOps.requireFloating("matmul", "input", a);
        ElementwiseOps.requireFloating("matmul", "other", b);
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("matmul: dtypes differ (" + a.dtype() + " and " + b.dtype() + ")");
        }
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got "
                    + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        }
        if (a.dim() == 1 && b.dim() == 1) return matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape();
        if (a.dim() == 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
        if (b.dim() == 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
        int k = a.size(-1);
        if (b.size(-2) != k) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape())
                    + " cannot be multiplied (" + k + " vs " + b.size(-2) + ")");
        }
        if (b.dim() == 2) {
            // [..., m, k] @ [k, n] is one GEMM over the flattened rows: the Linear layer's case.
            int[] outShape = a.shape();
            outShape[outShape.length - 1] = b.size(1);
            Tensor rows = a.reshape(-1, k);
            boolean transA = isTransposed(rows), transB = isTransposed(b);
            return mm(transA ? rows.t() : rows, transA, transB ? b.t() : b, transB).reshape(outShape);
        }
        return batched(a, b);
    }

    /**
     * Whether a matrix is the transpose of a contiguous one ({@code w.t()}, strides [1, rows]): the
     * GEMM reads it through its transpose flag, as BLAS does, instead of copying it contiguous first.
     */
    private static boolean isTransposed(Tensor m) {
        int rows = m.size(0), cols = m.size(1);
        return !m.isContiguous() && (rows == 1 || m.stride(0) == 1) && (cols == 1 || m.stride(1) == rows);
    }

    /** {@code op(a) @ op(b)} for matrices, with transposes folded into the GEMM. Differentiable. */
    public static Tensor mm(Tensor a, boolean transA, Tensor b, boolean transB) {
        Tensor ac = a.contiguous(), bc = b.contiguous();
        int m = transA ? a.size(1) : a.size(0);
        int k = transA ? a.size(0) : a.size(1);
        int n = transB ? b.size(0) : b.size(1);
        int kb = transB ? b.size(1) : b.size(0);
        if (k != kb) {
            throw new IllegalArgumentException("mm: inner dimensions differ: " + Shape.str(a.shape())
                    + (transA ? "^T" : "") + " @ " + Shape.str(b.shape()) + (transB ? "^T" : ""));
        }
        Tensor out = Tensor.empty(a.backend(), a.dtype(), m, n);
        a.backend().blas().gemm(transA, transB, 1, m, n, k, 1.0, ac, 0, bc, 0, 0.0, out, 0);
        // Each operand's gradient reads the other one only, as PyTorch's mm saves it.
        Tensor[] saved = {b.requiresGrad() ? a : null, a.requiresGrad() ? b : null};
        return Autograd.record("mm", out, new Tensor[] {a, b}, saved, g -> new Tensor[] {
            // d(op(A)) = g op(B)^T, then undo op on A; likewise for B.
            a.requiresGrad() ? (transA ? mm(b, transB, g, true) : mm(g, false, b, !transB)) : null,
            b.requiresGrad() ? (transB ? mm(g, true, a, transA) : mm(a, !transA, g, false)) : null
        });
    }

    /** y = x @ weight^T + bias for x [..., in], weight [out, in], bias [out] or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return linear(x, weight, bias, null, 0);
    }

    /**
     * {@code f(x @ weight^T + bias)} with the bias and the activation f ({@code kind} with its
     * {@code param}, or none when kind is null) in one kernel after the GEMM; the values are those
     * of the three ops apart.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Activations.Kind kind, double param) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be 2-D [out, in], got "
                    + Shape.str(weight.shape()));
        }
        if (x.dim() == 0 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input " + Shape.str(x.shape()) + " does not match weight "
                    + Shape.str(weight.shape()) + " (last input dim must be " + weight.size(1) + ")");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("linear: bias " + Shape.str(bias.shape()) + " does not match weight "
                    + Shape.str(weight.shape()) + " (expected [" + weight.size(0) + "])");
        }
        int[] outShape = x.shape();
        outShape[outShape.length - 1] = weight.size(0);
        Tensor rows = x.reshape(-1, weight.size(1));
        Tensor y = mm(rows, false, weight, true);
        if (kind != null) {
            y = bias != null ? ActivationOps.biasActivation(kind, param, y, bias)
                    : ActivationOps.activation(kind, param, y);
        } else if (bias != null) {
            y = y.add(bias);
        }
        return y.reshape(outShape);
    }

    private static Tensor batched(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int[] batchShape = Shape.broadcast("matmul", Arrays.copyOf(as, as.length - 2),
                Arrays.copyOf(bs, bs.length - 2));
        int batch = (int) Shape.numel(batchShape);
        int[] aFull = concat(batchShape, m, k), bFull = concat(batchShape, k, n);
        Tensor ae, be;
        try (var ng = GradMode.noGrad()) {
            ae = a.expand(aFull).contiguous();
            be = b.expand(bFull).contiguous();
        }
        Tensor out = Tensor.empty(a.backend(), a.dtype(), concat(batchShape, m, n));
        a.backend().blas()
                .gemm(false, false, batch, m, n, k, 1.0, ae, (long) m * k, be, (long) k * n, 0.0, out, (long) m * n);
        Tensor[] saved = {b.requiresGrad() ? a : null, a.requiresGrad() ? b : null};
        return Autograd.record("bmm", out, new Tensor[] {a, b}, saved, g -> new Tensor[] {
            a.requiresGrad() ? ReductionOps.sumTo(matmul(g, be.transpose(-1, -2)), as) : null,
            b.requiresGrad() ? ReductionOps.sumTo(matmul(ae.transpose(-1, -2), g), bs) : null
        });
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }
}

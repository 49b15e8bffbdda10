package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Elementwise;
import dev.myelin.nn.functional.Reduction;

import java.util.Arrays;

/** Argument checks shared by the losses; each message names the op, the argument and the shapes. */
final class LossChecks {
    private LossChecks() {}

    /** A floating input and a target of the same shape and dtype, on the same device. */
    static void sameShapeFloating(String op, Tensor input, Tensor target) {
        ElementwiseOps.requireFloating(op, "input", input);
        ElementwiseOps.sameBackend(op, input, target);
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": 'target' has shape " + Shape.str(target.shape())
                    + " but 'input' has shape " + Shape.str(input.shape()) + "; they must match (Myelin does not "
                    + "broadcast a loss's target)");
        }
        sameDtype(op, "target", target, input);
    }

    static void sameDtype(String op, String arg, Tensor t, Tensor input) {
        if (t.dtype() != input.dtype()) {
            throw new IllegalArgumentException(op + ": '" + arg + "' is " + t.dtype() + " with shape "
                    + Shape.str(t.shape()) + " but 'input' is " + input.dtype() + " with shape "
                    + Shape.str(input.shape()) + "; convert it with .to(" + input.dtype() + ")");
        }
    }

    static void reduction(String op, Reduction reduction, boolean batchMeanAllowed) {
        if (reduction == null) throw new IllegalArgumentException(op + ": 'reduction' must not be null");
        if (reduction == Reduction.BATCHMEAN && !batchMeanAllowed) {
            throw new IllegalArgumentException(op
                    + ": reduction BATCHMEAN is only valid for kl_div; use MEAN, SUM or NONE");
        }
    }

    /** 'mean' of no elements is 0/0; PyTorch returns NaN, Myelin refuses. */
    static void notEmpty(String op, Tensor input, long count, Reduction reduction) {
        if (count == 0 && (reduction == Reduction.MEAN || reduction == Reduction.BATCHMEAN)) {
            throw new IllegalArgumentException(op + ": empty batch: 'input' of shape " + Shape.str(input.shape())
                    + " has nothing to average with reduction " + reduction + " (PyTorch would return NaN)");
        }
    }

    /** Throws if t holds a NaN: one sum read back to the host, and a count only when that sum is NaN. */
    static void noNaN(String op, String arg, Tensor t) {
        if (t.numel() == 0) return;
        try (var ng = GradMode.noGrad()) {
            if (!Double.isNaN(t.sum().item())) return;
            // inf + (-inf) is NaN too: count the elements that differ from themselves.
            if (ElementwiseOps.binary(Elementwise.Binary.NE, t, t).sum().item() == 0) return;
        }
        throw new IllegalArgumentException(op + ": '" + arg + "' contains NaN (shape " + Shape.str(t.shape()) + ")");
    }

    static void labelSmoothing(String op, double ls) {
        if (!(ls >= 0 && ls <= 1)) {
            throw new IllegalArgumentException(op + ": 'label_smoothing' must be between 0.0 and 1.0, got " + ls);
        }
    }

    /**
     * A floating weight broadcastable to input's shape, cast to input's dtype and expanded to it (a
     * view; no gradient flows to it).
     */
    static Tensor broadcastWeight(String op, String arg, Tensor w, Tensor input) {
        ElementwiseOps.requireFloating(op, arg, w);
        ElementwiseOps.sameBackend(op, input, w);
        int[] ws = w.shape(), shape = input.shape();
        boolean ok = ws.length <= shape.length;
        for (int i = 0; ok && i < ws.length; i++) {
            int d = shape[shape.length - ws.length + i];
            ok = ws[i] == d || ws[i] == 1;
        }
        if (!ok) {
            throw new IllegalArgumentException(op + ": '" + arg + "' of shape " + Shape.str(ws)
                    + " cannot be broadcast to 'input' of shape " + Shape.str(shape));
        }
        try (var ng = GradMode.noGrad()) {
            return w.detach().to(input.dtype()).expand(shape);
        }
    }

    /** A per-class weight: one floating value for each of the C classes, cast to input's dtype. */
    static Tensor classWeight(String op, Tensor w, int classes, Tensor input) {
        if (w == null) return null;
        ElementwiseOps.requireFloating(op, "weight", w);
        ElementwiseOps.sameBackend(op, input, w);
        if (w.dim() != 1 || w.size(0) != classes) {
            throw new IllegalArgumentException(op + ": 'weight' must have one value per class, shape [" + classes
                    + "] for 'input' of shape " + Shape.str(input.shape()) + ", got " + Shape.str(w.shape()));
        }
        try (var ng = GradMode.noGrad()) {
            return w.detach().to(input.dtype()).contiguous();
        }
    }
}

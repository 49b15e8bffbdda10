package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Fused;
import dev.myelin.ops.composite.BatchNormComposite;
import dev.myelin.ops.composite.LayerNormComposite;

import java.util.Arrays;

/**
 * Batch norm, layer norm and group norm with PyTorch 1.13's semantics: the arguments are checked here, then the
 * op runs on the backend's Normalization kernels where it lists {@link Fused#BATCH_NORM} or
 * {@link Fused#LAYER_NORM}, else as the core's composite ({@link BatchNormComposite},
 * {@link LayerNormComposite}). The kernels see contiguous inputs reshaped to [N, C, S] (batch norm)
 * or [M, D] (layer norm). Group norm is a composite only ({@link #groupNorm}).
 */
public final class NormOps {
    private NormOps() {}

    /**
     * F.batch_norm. x is [N, C] or [N, C, *]; weight, bias, runningMean and runningVar hold C
     * elements each and may be null (running statistics only in training). In training the batch's
     * mean and biased variance normalize x, and the running tensors that are given are updated in
     * place: {@code running = momentum * stat + (1 - momentum) * running}, with the unbiased
     * variance for runningVar (a Module passes {@code 1 / numBatchesTracked} for PyTorch's
     * momentum=None). In eval the running statistics normalize and the gradient treats them as
     * constants. Differentiable in x, weight and bias.
     *
     * @throws IllegalArgumentException for rank {@code < 2}, an empty input, per-channel tensors without C
     *     elements or of another dtype, {@code eps <= 0}, momentum outside [0, 1] (training), a single
     *     value per channel (training), or missing running statistics (eval)
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        String op = "batch_norm";
        ElementwiseOps.requireFloating(op, "input", x);
        if (x.dim() < 2) {
            throw new IllegalArgumentException(op + ": expected input of shape [N, C] or [N, C, *], got shape "
                    + Shape.str(x.shape()));
        }
        if (x.numel() == 0) {
            throw new IllegalArgumentException(op + ": got an empty input of shape " + Shape.str(x.shape()));
        }
        int n = x.size(0), c = x.size(1), s = Math.toIntExact(x.numel() / ((long) n * c));
        checkParam(op, "weight", weight, c, x);
        checkParam(op, "bias", bias, c, x);
        checkParam(op, "running_mean", runningMean, c, x);
        checkParam(op, "running_var", runningVar, c, x);
        Checks.finitePositive(op, "eps", eps);
        if (training) {
            if (!(momentum >= 0 && momentum <= 1)) {
                throw new IllegalArgumentException(op + ": momentum must be in [0, 1], got momentum=" + momentum);
            }
            if ((long) n * s == 1) {
                throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, "
                        + "got input of shape " + Shape.str(x.shape()));
            }
        } else if (runningMean == null || runningVar == null) {
            throw new IllegalArgumentException(op + ": running_mean and running_var must be given in eval mode "
                    + "(training=false), got " + (runningMean == null ? "running_mean" : "running_var") + " = null");
        }
        if (!x.backend().fused().contains(Fused.BATCH_NORM)) {
            return BatchNormComposite.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
        }
        Tensor x3, w, b;
        try (var ng = GradMode.noGrad()) {
            x3 = x.contiguous().reshape(n, c, s);
            w = weight == null ? null : weight.contiguous().reshape(c);
            b = bias == null ? null : bias.contiguous().reshape(c);
        }
        if (training) return train(x, x3, weight, w, bias, b, runningMean, runningVar, momentum, eps);
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.dtype(), n, c, s);
        Tensor mean, var, invStd;
        try (var ng = GradMode.noGrad()) {
            // Snapshots: the backward must see the statistics this forward used.
            mean = runningMean.contiguous().reshape(c).copy();
            var = runningVar.contiguous().reshape(c);
            invStd = var.add(eps).rsqrt();
        }
        be.normalization().batchNormInference(x3, w, b, mean, var, eps, y);
        return recordBatchNorm(x, weight, bias, false, x3, w, mean, invStd, y);
    }

    private static Tensor train(Tensor x, Tensor x3, Tensor weight, Tensor w, Tensor bias, Tensor b, Tensor runningMean,
                                Tensor runningVar, double momentum, double eps) {
        Backend be = x.backend();
        int c = x3.size(1);
        Tensor rm = inPlaceTarget(runningMean, c), rv = inPlaceTarget(runningVar, c);
        Tensor y = Tensor.empty(be, x.dtype(), x3.shape());
        Tensor mean = Tensor.empty(be, x.dtype(), c), invStd = Tensor.empty(be, x.dtype(), c);
        be.normalization().batchNormTrain(x3, w, b, rm, rv, momentum, eps, y, mean, invStd);
        // The running statistics were written in place (legal: no backward reads them).
        if (rm != null) rm.incrementVersion();
        if (rv != null) rv.incrementVersion();
        writeBack(rm, runningMean);
        writeBack(rv, runningVar);
        return recordBatchNorm(x, weight, bias, true, x3, w, mean, invStd, y);
    }

    private static Tensor recordBatchNorm(Tensor x, Tensor weight, Tensor bias, boolean batchStats, Tensor x3, Tensor w,
                                          Tensor mean, Tensor invStd, Tensor y) {
        int[] shape = x.shape();
        Tensor out = y.viewOf(y.offset(), shape, Shape.contiguousStrides(shape));
        // x3 and w are x and weight or views of them (a copy only when not contiguous); mean and invStd are
        // the op's own (in eval, a snapshot of the running statistics), which nobody else can write.
        return Autograd.record("batch_norm", out, new Tensor[] {x, weight, bias}, new Tensor[] {x, weight}, g -> {
            Backend be = g.backend();
            int c = x3.size(1);
            Tensor g3 = g.to(x.dtype()).contiguous().reshape(x3.shape());
            Tensor gx = Tensor.empty(be, x.dtype(), x3.shape());
            Tensor gw = weight != null && weight.requiresGrad() ? Tensor.empty(be, x.dtype(), c) : null;
            Tensor gb = bias != null && bias.requiresGrad() ? Tensor.empty(be, x.dtype(), c) : null;
            be.normalization().batchNormBackward(batchStats, x3, g3, w, mean, invStd, gx, gw, gb);
            return new Tensor[] {
                x.requiresGrad() ? gx.reshape(shape) : null,
                gw == null ? null : gw.reshape(weight.shape()),
                gb == null ? null : gb.reshape(bias.shape())
            };
        });
    }

    /**
     * F.layer_norm over the trailing {@code normalizedShape} dims of x, with the biased variance;
     * weight and bias have shape normalizedShape or are null. Differentiable in x, weight and bias.
     *
     * @throws IllegalArgumentException if normalizedShape is empty or is not x's trailing shape,
     *     weight or bias has another shape or dtype, or {@code eps <= 0}
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        String op = "layer_norm";
        ElementwiseOps.requireFloating(op, "input", x);
        if (normalizedShape == null || normalizedShape.length == 0) {
            throw new IllegalArgumentException(op + ": normalized_shape must have at least one dimension, got "
                    + (normalizedShape == null ? "null" : Shape.str(normalizedShape)));
        }
        int[] shape = x.shape();
        int k = normalizedShape.length, lead = shape.length - k;
        if (lead < 0 || !Arrays.equals(Arrays.copyOfRange(shape, lead, shape.length), normalizedShape)) {
            String dims = Shape.str(normalizedShape);
            throw new IllegalArgumentException(op + ": normalized_shape " + dims + " does not match input of shape "
                    + Shape.str(shape) + "; expected input of shape [*, " + dims.substring(1));
        }
        checkAffine(op, "weight", weight, normalizedShape, x);
        checkAffine(op, "bias", bias, normalizedShape, x);
        Checks.finitePositive(op, "eps", eps);
        if (!x.backend().fused().contains(Fused.LAYER_NORM)) {
            return LayerNormComposite.layerNorm(x, normalizedShape, weight, bias, eps);
        }
        int cols = Math.toIntExact(Shape.numel(normalizedShape));
        int rows = Math.toIntExact(Shape.numel(Arrays.copyOf(shape, lead)));
        Tensor x2, w, b;
        try (var ng = GradMode.noGrad()) {
            x2 = x.contiguous().reshape(rows, cols);
            w = weight == null ? null : weight.contiguous().reshape(cols);
            b = bias == null ? null : bias.contiguous().reshape(cols);
        }
        Backend be = x.backend();
        Tensor y = Tensor.empty(be, x.dtype(), shape);
        Tensor mean = Tensor.empty(be, x.dtype(), rows), invStd = Tensor.empty(be, x.dtype(), rows);
        Tensor y2 = y.viewOf(y.offset(), new int[] {rows, cols}, Shape.contiguousStrides(new int[] {rows, cols}));
        be.normalization().layerNorm(x2, w, b, eps, y2, mean, invStd);
        return Autograd.record(op, y, new Tensor[] {x, weight, bias}, new Tensor[] {x, weight}, g -> {
            Backend gbe = g.backend();
            Tensor g2 = g.to(x.dtype()).contiguous().reshape(rows, cols);
            Tensor gx = Tensor.empty(gbe, x.dtype(), rows, cols);
            Tensor gw = weight != null && weight.requiresGrad() ? Tensor.empty(gbe, x.dtype(), cols) : null;
            Tensor gb = bias != null && bias.requiresGrad() ? Tensor.empty(gbe, x.dtype(), cols) : null;
            gbe.normalization().layerNormBackward(x2, g2, w, mean, invStd, gx, gw, gb);
            return new Tensor[] {
                x.requiresGrad() ? gx.reshape(shape) : null,
                gw == null ? null : gw.reshape(normalizedShape),
                gb == null ? null : gb.reshape(normalizedShape)
            };
        });
    }

    /** A per-channel tensor of batch norm: C elements (any shape, as PyTorch), x's dtype and device. */
    private static void checkParam(String op, String arg, Tensor t, int c, Tensor x) {
        if (t == null) return;
        ElementwiseOps.sameBackend(op, x, t);
        if (t.numel() != c) {
            throw new IllegalArgumentException(op + ": '" + arg + "' should contain " + c + " elements (one per "
                    + "channel of input of shape " + Shape.str(x.shape()) + "), got shape " + Shape.str(t.shape()));
        }
        sameDtype(op, arg, t, x);
    }

    /**
     * F.group_norm: x [N, C, *] with its C channels split into numGroups groups of C / numGroups, each
     * sample's group normalized with its mean and biased variance, then {@code * weight + bias} per
     * channel (weight and bias hold C elements, or are null). A composite of the reductions and
     * elementwise ops, differentiable in x, weight and bias through autograd; no backend has a kernel.
     *
     * @throws IllegalArgumentException for rank {@code < 2}, numGroups {@code <= 0} or not dividing C,
     *     weight or bias of another shape than [C] or another dtype, or {@code eps <= 0}
     */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        String op = "group_norm";
        ElementwiseOps.requireFloating(op, "input", x);
        int[] shape = x.shape();
        if (shape.length < 2) {
            throw new IllegalArgumentException(op + ": expected input of shape [N, C, *], got " + Shape.str(shape));
        }
        int c = shape[1];
        if (numGroups <= 0 || c % numGroups != 0) {
            throw new IllegalArgumentException(op + ": the number of channels " + c + " of input "
                    + Shape.str(shape) + " must be divisible by num_groups, got num_groups=" + numGroups);
        }
        checkAffine(op, "weight", weight, new int[] {c}, "[num_channels]", x);
        checkAffine(op, "bias", bias, new int[] {c}, "[num_channels]", x);
        Checks.finitePositive(op, "eps", eps);
        Tensor g = x.reshape(shape[0], numGroups, Math.toIntExact(x.numel() / Math.max(1, shape[0] * numGroups)));
        Tensor y = g.sub(g.mean(2, true)).mul(g.var(new int[] {2}, 0, true).add(eps).rsqrt()).reshape(shape);
        // weight and bias as [C, 1, ...]: one value per channel, broadcast over the trailing dims.
        int[] perChannel = new int[shape.length - 1];
        Arrays.fill(perChannel, 1);
        perChannel[0] = c;
        if (weight != null) y = y.mul(weight.reshape(perChannel));
        return bias == null ? y : y.add(bias.reshape(perChannel));
    }

    private static void checkAffine(String op, String arg, Tensor t, int[] normalizedShape, Tensor x) {
        checkAffine(op, arg, t, normalizedShape, "normalized_shape", x);
    }

    /** t is null, or on x's backend with x's dtype and the expected shape (named as the op's argument). */
    private static void checkAffine(String op, String arg, Tensor t, int[] expected, String name, Tensor x) {
        if (t == null) return;
        ElementwiseOps.sameBackend(op, x, t);
        if (!Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": '" + arg + "' must have shape " + name + " = "
                    + Shape.str(expected) + ", got " + Shape.str(t.shape()));
        }
        sameDtype(op, arg, t, x);
    }

    private static void sameDtype(String op, String arg, Tensor t, Tensor x) {
        if (t.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": '" + arg + "' has dtype " + t.dtype() + " but input has "
                    + x.dtype() + " (shapes " + Shape.str(t.shape()) + " and " + Shape.str(x.shape()) + ")");
        }
    }

    /** The [C] contiguous tensor the kernel updates: the running tensor itself, or a copy of a strided view. */
    private static Tensor inPlaceTarget(Tensor running, int c) {
        if (running == null) return null;
        ElementwiseOps.checkInPlace("batch_norm", running);
        try (var ng = GradMode.noGrad()) {
            return running.contiguous().reshape(c);
        }
    }

    private static void writeBack(Tensor updated, Tensor running) {
        if (running != null && updated.storage() != running.storage()) {
            try (var ng = GradMode.noGrad()) {
                running.copyFrom(updated.reshape(running.shape()));
            }
        }
    }
}

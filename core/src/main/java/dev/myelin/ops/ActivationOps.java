package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.backend.Fused;
import dev.myelin.ops.composite.BiasActivationComposite;
import dev.myelin.ops.composite.SoftmaxComposite;

/**
 * Activations and softmax on the Activations kernels, with their one-pass backward kernels; for the
 * kinds that {@link Kind#keepsDerivative}, a backend that lists {@link Fused#ACTIVATION_DERIVATIVE}
 * writes f'(x) in the forward and the backward multiplies by it. Softmax and bias + activation are
 * fused ops: they run on the kernels where the backend lists {@link Fused#SOFTMAX} or
 * {@link Fused#BIAS_ACTIVATION}, else as the core's composites ({@link SoftmaxComposite},
 * {@link BiasActivationComposite}).
 */
public final class ActivationOps {
    private ActivationOps() {}

    public static Tensor activation(Kind kind, double param, Tensor x) {
        String name = kind.name().toLowerCase();
        ElementwiseOps.requireFloating(name, "input", x);
        Tensor xc = x.contiguous();
        Tensor y = Tensor.empty(x.backend(), x.dtype(), x.shape());
        if (kind.keepsDerivative() && x.requiresGrad() && GradMode.isEnabled()
                && x.backend().fused().contains(Fused.ACTIVATION_DERIVATIVE)) {
            // f'(x) is the op's own tensor, never handed out: nothing to check for in-place writes.
            Tensor dydx = Tensor.empty(x.backend(), x.dtype(), x.shape());
            x.backend().activations().forwardWithDerivative(kind, param, xc, y, dydx);
            return Autograd.record(name, y, new Tensor[] {x}, Autograd.NOTHING_SAVED,
                    g -> new Tensor[] {g.mul(dydx)});
        }
        x.backend().activations().forward(kind, param, xc, y);
        return Autograd.record(name, y, new Tensor[] {x}, saved(kind, x, y), g -> {
            Tensor gx = Tensor.empty(g.backend(), g.dtype(), g.shape());
            g.backend().activations().backward(kind, param, xc, y, g.contiguous(), gx);
            return new Tensor[] {gx};
        });
    }

    /**
     * {@code f(x + bias)} for x [..., C] and bias [C]: the bias and activation of a linear layer, in one
     * kernel where the backend fuses them. Values and gradients are those of
     * {@code activation(kind, param, x.add(bias))}.
     */
    public static Tensor biasActivation(Kind kind, double param, Tensor x, Tensor bias) {
        String name = "bias_" + kind.name().toLowerCase();
        ElementwiseOps.requireFloating(name, "input", x);
        ElementwiseOps.sameBackend(name, x, bias);
        if (bias.dtype() != x.dtype() || bias.dim() != 1 || x.dim() == 0 || x.size(-1) != bias.size(0)) {
            throw new IllegalArgumentException(name + ": bias " + bias.dtype() + Shape.str(bias.shape())
                    + " does not match input " + x.dtype() + Shape.str(x.shape()) + " (expected "
                    + x.dtype() + "[" + (x.dim() == 0 ? "C" : x.size(-1)) + "])");
        }
        if (!x.backend().fused().contains(Fused.BIAS_ACTIVATION)) {
            return BiasActivationComposite.biasActivation(kind, param, x, bias);
        }
        Tensor xc = x.contiguous(), bc = bias.contiguous();
        Tensor y = Tensor.empty(x.backend(), x.dtype(), x.shape());
        x.backend().activations().biasForward(kind, param, xc, bc, y);
        int[] biasShape = bias.shape();
        // The backward kernel recomputes x + bias, and reads y where the plain activation does.
        Tensor[] saved = {x, bias, kind.readsOutput() ? y : null};
        return Autograd.record(name, y, new Tensor[] {x, bias}, saved, g -> {
            Tensor gx = Tensor.empty(g.backend(), g.dtype(), g.shape());
            g.backend().activations().biasBackward(kind, param, xc, bc, y, g.contiguous(), gx);
            return new Tensor[] {gx, bias.requiresGrad() ? ReductionOps.sumTo(gx, biasShape) : null};
        });
    }

    /** What the backward kernels read, as the kind declares ({@link Kind#readsInput}, {@link Kind#readsOutput}). */
    private static Tensor[] saved(Kind kind, Tensor x, Tensor y) {
        if (!kind.readsOutput()) return new Tensor[] {x};
        return kind.readsInput() ? new Tensor[] {x, y} : new Tensor[] {y};
    }

    public static Tensor relu(Tensor x) {
        return activation(Kind.RELU, 0, x);
    }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        Checks.finite("leaky_relu", "negative_slope", negativeSlope);
        return activation(Kind.LEAKY_RELU, negativeSlope, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return activation(Kind.SIGMOID, 0, x);
    }

    public static Tensor tanh(Tensor x) {
        return activation(Kind.TANH, 0, x);
    }

    /** approximate: "none" (exact erf) or "tanh", as PyTorch. */
    public static Tensor gelu(Tensor x, String approximate) {
        return switch (approximate) {
            case "none" -> activation(Kind.GELU, 0, x);
            case "tanh" -> activation(Kind.GELU_TANH, 0, x);
            default -> throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \""
                    + approximate + "\"");
        };
    }

    public static Tensor silu(Tensor x) {
        return activation(Kind.SILU, 0, x);
    }

    public static Tensor softmax(Tensor x, int dim) {
        return softmax(x, dim, false);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return softmax(x, dim, true);
    }

    private static Tensor softmax(Tensor x, int dim, boolean log) {
        String name = log ? "log_softmax" : "softmax";
        ElementwiseOps.requireFloating(name, "input", x);
        int d = x.dim() == 0 ? 0 : Shape.dim(name, dim, x.dim());
        if (!x.backend().fused().contains(Fused.SOFTMAX)) return SoftmaxComposite.softmax(x, d, log);
        Tensor xc = x.dim() == 0 ? x.reshape(1) : x.contiguous();
        Tensor y = Tensor.empty(x.backend(), x.dtype(), xc.shape());
        x.backend().activations().softmax(xc, d, log, y);
        Tensor out = x.dim() == 0 ? y.viewOf(y.offset(), new int[0], new long[0]) : y;
        int[] shape = x.shape();
        return Autograd.record(name, out, new Tensor[] {x}, new Tensor[] {out}, g -> {
            Tensor gx = Tensor.empty(g.backend(), g.dtype(), y.shape());
            g.backend().activations().softmaxBackward(y, g.contiguous().reshape(y.shape()), d, log, gx);
            return new Tensor[] {gx.reshape(shape)};
        });
    }
}

package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.Autograd;
import dev.myelin.autograd.GradMode;
import dev.myelin.random.Generator;

import static dev.myelin.autograd.Autograd.NOTHING_SAVED;

/**
 * Dropout and Dropout2d with Philox masks (PyTorch 1.13 semantics). A call reserves its draws from
 * the generator, so successive calls use fresh masks and a seed reproduces them on every backend;
 * the backward runs the same kernel with the same seed and offset, so it regenerates the mask
 * instead of storing it.
 */
public final class DropoutOps {
    private DropoutOps() {}

    /**
     * Inverted dropout: in training each element is zeroed with probability p and the others are
     * scaled by 1/(1-p). Returns x itself when not training, when p == 0 or when x is empty (as
     * PyTorch); p == 1 gives {@code x * 0} (zero gradient). generator null means the default one.
     *
     * @throws IllegalArgumentException if p is not in [0, 1] or x is not floating point
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator generator) {
        checkP("dropout", p);
        ElementwiseOps.requireFloating("dropout", "input", x);
        if (!training || p == 0 || x.numel() == 0) return x;
        if (p == 1) return x.mul(0.0);
        return masked("dropout", x, p, 1, generator);
    }

    /**
     * Channel-wise dropout (torch.nn.functional.dropout2d): on [N, C, H, W] each [H, W] plane is
     * kept (and scaled by 1/(1-p)) or zeroed as a whole, one draw per (n, c). A 3-D input is read
     * as [N, C, L], one draw per row of L, as PyTorch 1.13 does (it warns that a later release will
     * read it as an unbatched [C, H, W]). Identity, p == 0 and p == 1 as {@link #dropout}.
     *
     * @throws IllegalArgumentException if p is not in [0, 1] or x is not 3-D or 4-D
     */
    public static Tensor dropout2d(Tensor x, double p, boolean training, Generator generator) {
        checkP("dropout2d", p);
        ElementwiseOps.requireFloating("dropout2d", "input", x);
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("dropout2d: expected a 3-D or 4-D input ([N, C, L] or [N, C, H, W]), "
                    + "got shape " + Shape.str(x.shape()) + "; use dropout for element-wise dropout");
        }
        if (!training || p == 0 || x.numel() == 0) return x;
        if (p == 1) return x.mul(0.0);
        long planes = (long) x.size(0) * x.size(1);
        return masked("dropout2d", x, p, x.numel() / planes, generator);
    }

    private static Tensor masked(String op, Tensor x, double p, long groupSize, Generator generator) {
        Generator gen = generator == null ? Generator.defaultGenerator() : generator;
        long seed = gen.seed();
        long offset = gen.reserve(x.numel() / groupSize);
        Tensor xc;
        try (var ng = GradMode.noGrad()) {
            xc = x.contiguous();
        }
        Tensor out = Tensor.empty(x.backend(), x.dtype(), x.shape());
        x.backend().dropout().dropout(xc, p, seed, offset, groupSize, out);
        // The backward regenerates the mask: it reads no tensor.
        return Autograd.record(op, out, new Tensor[] {x}, NOTHING_SAVED, g -> {
            Tensor gc = g.to(x.dtype()).contiguous();
            Tensor gx = Tensor.empty(g.backend(), x.dtype(), x.shape());
            g.backend().dropout().dropout(gc, p, seed, offset, groupSize, gx);
            return new Tensor[] {gx};
        });
    }

    /**
     * Dropout with a given mask: {@code x * mask / (1 - p)}. mask has x's shape and holds only 0
     * (dropped) and 1 (kept), in any dtype; it is a constant. Differentiable in x.
     *
     * @throws IllegalArgumentException if p is not in [0, 1), or mask has another shape or other values
     */
    public static Tensor dropoutWithMask(Tensor x, Tensor mask, double p) {
        checkP("dropout", p);
        ElementwiseOps.requireFloating("dropout", "input", x);
        ElementwiseOps.requireSameShape("dropout", "input", x, "mask", mask);
        ElementwiseOps.sameBackend("dropout", x, mask);
        double[] values = mask.toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0 && values[i] != 1) {
                throw new IllegalArgumentException("dropout: 'mask' must hold only 0 and 1, got " + values[i]
                        + " at element " + i + " of shape " + Shape.str(mask.shape()));
            }
        }
        Tensor m;
        try (var ng = GradMode.noGrad()) {
            m = mask.to(x.dtype());
        }
        // p = 1 drops everything, as PyTorch (x * 0), instead of scaling by 1/0.
        return p == 1 ? x.mul(0) : x.mul(m.detach()).div(1 - p);
    }

    private static void checkP(String op, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(op
                    + ": p (the dropout probability) must be between 0 and 1, got p=" + p);
        }
    }
}

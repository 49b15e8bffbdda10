package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

/** Channel dropout (torch.nn.Dropout2d): in training zeroes whole channels of [N, C, H, W] input with probability p, scaling the rest by 1/(1-p); identity in eval. */
public final class Dropout2d extends Module {
    private final double p;

    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout2d: probability has to be between 0 and 1, but got " + p);
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.dropout2d(x, p, isTraining());
    }

    @Override
    protected String describe() {
        return "p=" + p;
    }
}

package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

/** {@code x >= 0 ? x : negativeSlope * x} (torch.nn.LeakyReLU; slope 0.01 by default). */
public final class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.leakyRelu(x, negativeSlope);
    }

    @Override
    protected String describe() {
        return "negative_slope=" + negativeSlope;
    }
}

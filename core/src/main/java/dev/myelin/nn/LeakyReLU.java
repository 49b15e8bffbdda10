package dev.myelin.nn;

import dev.myelin.backend.Activations.Kind;
import dev.myelin.ops.Checks;

/** {@code x >= 0 ? x : negativeSlope * x} (torch.nn.LeakyReLU; slope 0.01 by default). */
public final class LeakyReLU extends ElementwiseActivation {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = Checks.finite("LeakyReLU", "negative_slope", negativeSlope);
    }

    @Override
    Kind kind() {
        return Kind.LEAKY_RELU;
    }

    @Override
    double param() {
        return negativeSlope;
    }

    @Override
    protected String describe() {
        return "negative_slope=" + negativeSlope;
    }
}

package dev.myelin.nn;

import dev.myelin.backend.Activations.Kind;
import dev.myelin.ops.Checks;

/** {@code x > 0 ? x : alpha * (e^x - 1)} elementwise (torch.nn.ELU; alpha 1 by default). */
public final class ELU extends ElementwiseActivation {
    private final double alpha;

    public ELU() {
        this(1.0);
    }

    public ELU(double alpha) {
        this.alpha = Checks.finite("ELU", "alpha", alpha);
    }

    @Override
    Kind kind() {
        return Kind.ELU;
    }

    @Override
    double param() {
        return alpha;
    }

    @Override
    protected String describe() {
        return "alpha=" + alpha;
    }
}

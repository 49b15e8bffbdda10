package dev.myelin.nn;

import dev.myelin.backend.Activations.Kind;

/** Gaussian error linear unit (torch.nn.GELU): exact (erf) by default, or approximate = "tanh". */
public final class GELU extends ElementwiseActivation {
    private final String approximate;

    public GELU() {
        this("none");
    }

    public GELU(String approximate) {
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
            throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got \"" + approximate
                    + "\"");
        }
        this.approximate = approximate;
    }

    @Override
    Kind kind() {
        return approximate.equals("tanh") ? Kind.GELU_TANH : Kind.GELU;
    }

    @Override
    protected String describe() {
        return "approximate=" + approximate;
    }
}

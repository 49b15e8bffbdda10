package dev.myelin.nn;

import dev.myelin.backend.Activations.Kind;

/** x * sigmoid(x) elementwise (torch.nn.SiLU). */
public final class SiLU extends ElementwiseActivation {
    @Override
    Kind kind() {
        return Kind.SILU;
    }
}

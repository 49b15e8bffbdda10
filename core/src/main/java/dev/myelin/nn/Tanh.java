package dev.myelin.nn;

import dev.myelin.backend.Activations.Kind;

/** Hyperbolic tangent elementwise (torch.nn.Tanh). */
public final class Tanh extends ElementwiseActivation {
    @Override
    Kind kind() {
        return Kind.TANH;
    }
}

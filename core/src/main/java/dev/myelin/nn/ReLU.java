package dev.myelin.nn;

import dev.myelin.backend.Activations.Kind;

/** max(x, 0) elementwise (torch.nn.ReLU). */
public final class ReLU extends ElementwiseActivation {
    @Override
    Kind kind() {
        return Kind.RELU;
    }
}

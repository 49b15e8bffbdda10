package dev.myelin.nn;

import dev.myelin.backend.Activations.Kind;

/** 1 / (1 + exp(-x)) elementwise (torch.nn.Sigmoid). */
public final class Sigmoid extends ElementwiseActivation {
    @Override
    Kind kind() {
        return Kind.SIGMOID;
    }
}

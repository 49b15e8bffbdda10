package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

/** Hyperbolic tangent elementwise (torch.nn.Tanh). */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return F.tanh(x);
    }
}

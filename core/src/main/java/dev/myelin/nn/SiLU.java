package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

/** x * sigmoid(x) elementwise (torch.nn.SiLU). */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return F.silu(x);
    }
}

package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

/** max(x, 0) elementwise (torch.nn.ReLU). */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return F.relu(x);
    }
}

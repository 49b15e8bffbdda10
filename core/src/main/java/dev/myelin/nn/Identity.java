package dev.myelin.nn;

import dev.myelin.Tensor;

/** Returns its input (torch.nn.Identity): a placeholder where a layer is optional. */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}

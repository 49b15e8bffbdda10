package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

/** Log-softmax along {@code dim} (torch.nn.LogSoftmax). */
public final class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.logSoftmax(x, dim);
    }

    @Override
    protected String describe() {
        return "dim=" + dim;
    }
}

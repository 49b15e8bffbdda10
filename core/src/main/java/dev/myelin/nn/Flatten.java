package dev.myelin.nn;

import dev.myelin.Tensor;

/** Flattens dimensions startDim..endDim into one (torch.nn.Flatten; defaults 1 and -1 keep the batch dimension). */
public final class Flatten extends Module {
    private final int startDim, endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.flatten(startDim, endDim);
    }

    @Override
    protected String describe() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}

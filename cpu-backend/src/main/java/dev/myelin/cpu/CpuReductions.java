package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Reductions;

/** CPU kernels of the Reductions family. */
final class CpuReductions implements Reductions {
    @Override
    public void reduce(Reductions.Op op, Tensor x, Tensor out) {
        throw new UnsupportedOperationException("cpu: reduce not implemented yet");
    }

    @Override
    public void variance(Tensor x, int correction, Tensor out) {
        throw new UnsupportedOperationException("cpu: variance not implemented yet");
    }

    @Override
    public void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        throw new UnsupportedOperationException("cpu: argReduce not implemented yet");
    }
}

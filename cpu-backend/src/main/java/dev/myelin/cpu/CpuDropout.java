package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Dropout;

/** CPU kernels of the Dropout family. */
final class CpuDropout implements Dropout {
    @Override
    public void dropout(Tensor x, double p, long seed, long offset, long groupSize, Tensor out) {
        throw new UnsupportedOperationException("cpu: dropout not implemented yet");
    }
}

package dev.myelin.ops;

import dev.myelin.Tensor;
import dev.myelin.random.Generator;

/** Dropout and Dropout2d with Philox masks. */
public final class DropoutOps {
    private DropoutOps() {}

    public static Tensor dropout(Tensor x, double p, boolean training, Generator generator) {
        throw new UnsupportedOperationException("dropout: not implemented yet");
    }

    /** Channel-wise dropout on [N, C, H, W] (or [C, H, W]): whole planes are zeroed. */
    public static Tensor dropout2d(Tensor x, double p, boolean training, Generator generator) {
        throw new UnsupportedOperationException("dropout2d: not implemented yet");
    }

    /** Dropout with a given mask (1 = kept): {@code x * mask / (1 - p)}. */
    public static Tensor dropoutWithMask(Tensor x, Tensor mask, double p) {
        throw new UnsupportedOperationException("dropout: not implemented yet");
    }
}

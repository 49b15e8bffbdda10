package dev.myelin.cpu;

import dev.myelin.Shape;
import dev.myelin.Tensor;

/**
 * A batch-norm input seen as [N, C, S]: N samples, C channels, S = the product of the dims after
 * the channel dim (1 for [N, C]). Channel c of sample n is the contiguous segment starting at
 * element {@code (n * C + c) * S}.
 */
record BatchNormDims(int n, int c, int s) {
    static BatchNormDims of(Tensor x) {
        if (x.dim() < 2) {
            throw new IllegalArgumentException("cpu batch_norm: expected an input of rank >= 2, got shape "
                    + Shape.str(x.shape()));
        }
        int n = x.size(0), c = x.size(1);
        long planes = (long) n * c;
        return new BatchNormDims(n, c, planes == 0 ? 0 : Math.toIntExact(x.numel() / planes));
    }

    /** Elements per channel, N * S. */
    long count() {
        return (long) n * s;
    }

    /** Number of [S] segments, N * C. */
    int segments() {
        return Math.toIntExact((long) n * c);
    }
}

package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.backend.Pooling;
import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.Stream;

/**
 * Pooling geometries the CUDA pooling tests share: padding, uneven strides, ceil mode with and without an extra window.
 */
public final class PoolingCases {
    private PoolingCases() {}

    public record Case(int n, int c, int h, int w, Pooling.Params p, DType dtype) {
        public int oh() {
            return out(h, p.kernelH(), p.padH(), p.strideH());
        }

        public int ow() {
            return out(w, p.kernelW(), p.padW(), p.strideW());
        }

        /** PyTorch's pooling output size (as PoolOps). */
        private int out(int in, int k, int pad, int stride) {
            int o = Math.floorDiv(in + 2 * pad - k + (p.ceilMode() ? stride - 1 : 0), stride) + 1;
            if (p.ceilMode() && (o - 1) * stride >= in + pad) o--;
            return o;
        }

        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + h + "," + w + "] " + p + " " + dtype;
        }
    }

    public static Stream<Arguments> cases() {
        return Stream.of(
                new Case(2, 3, 8, 8, new Pooling.Params(2, 2, 2, 2, 0, 0, false, true), DType.FLOAT32),
                new Case(2, 3, 11, 9, new Pooling.Params(3, 3, 2, 2, 1, 1, false, true), DType.FLOAT32),
                new Case(2, 3, 11, 9, new Pooling.Params(3, 3, 2, 2, 1, 1, false, false), DType.FLOAT32),
                new Case(1, 4, 10, 13, new Pooling.Params(3, 2, 1, 3, 1, 0, false, true), DType.FLOAT32),
                new Case(2, 2, 9, 9, new Pooling.Params(3, 3, 3, 3, 0, 0, true, true), DType.FLOAT32), // ceil adds none
                new Case(2, 2, 10, 11, new Pooling.Params(3, 3, 2, 2, 1, 1, true, false), DType.FLOAT32), // ceil adds
                new Case(2, 2, 10, 11, new Pooling.Params(3, 3, 2, 2, 1, 1, true, true), DType.FLOAT64), // ceil adds
                new Case(2, 3, 7, 6, new Pooling.Params(2, 3, 1, 2, 1, 1, true, false), DType.FLOAT32), // ceil adds
                new Case(3, 2, 7, 6, new Pooling.Params(2, 3, 1, 2, 1, 1, false, false), DType.FLOAT64))
                .map(Arguments::of);
    }
}

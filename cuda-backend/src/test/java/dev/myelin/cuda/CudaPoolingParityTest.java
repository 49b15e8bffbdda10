package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.backend.Pooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

@ExtendWith(GpuRequired.class)
class CudaPoolingParityTest {
    record Case(int n, int c, int h, int w, Pooling.Params p, DType dtype) {
        int oh() {
            return out(h, p.kernelH(), p.padH(), p.strideH());
        }

        int ow() {
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

    static Stream<Arguments> cases() {
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

    @ParameterizedTest
    @MethodSource("cases")
    void avgPoolForwardAndBackward(Case k) {
        Parity.Pair x = Parity.random(1, k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.Pair y = Parity.poisoned(k.dtype(), k.n(), k.c(), k.oh(), k.ow());
        Parity.cpu().pooling().avgPool2d(x.cpu(), k.p(), y.cpu());
        Parity.cuda().pooling().avgPool2d(x.cuda(), k.p(), y.cuda());
        Parity.assertClose("avg_pool2d " + k, y);

        Parity.Pair gy = Parity.random(2, k.dtype(), k.n(), k.c(), k.oh(), k.ow());
        Parity.Pair gx = Parity.poisoned(k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.cpu().pooling().avgPool2dBackward(gy.cpu(), k.p(), gx.cpu());
        Parity.cuda().pooling().avgPool2dBackward(gy.cuda(), k.p(), gx.cuda());
        Parity.assertClose("avg_pool2d backward " + k, gx);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void maxPoolForwardIndicesAndBackward(Case k) {
        Parity.Pair x = Parity.random(3, k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.Pair y = Parity.poisoned(k.dtype(), k.n(), k.c(), k.oh(), k.ow());
        Parity.Pair idx = Parity.empty(DType.INT64, k.n(), k.c(), k.oh(), k.ow());
        Parity.cpu().pooling().maxPool2d(x.cpu(), k.p(), y.cpu(), idx.cpu());
        Parity.cuda().pooling().maxPool2d(x.cuda(), k.p(), y.cuda(), idx.cuda());
        Parity.assertClose("max_pool2d " + k, y);
        Parity.assertSame("max_pool2d indices " + k, idx);

        Parity.Pair gy = Parity.random(4, k.dtype(), k.n(), k.c(), k.oh(), k.ow());
        Parity.Pair gx = Parity.poisoned(k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.cpu().pooling().maxPool2dBackward(gy.cpu(), idx.cpu(), k.p(), gx.cpu());
        Parity.cuda().pooling().maxPool2dBackward(gy.cuda(), idx.cuda(), k.p(), gx.cuda());
        Parity.assertClose("max_pool2d backward " + k, gx);
    }

    @Test
    void maxPoolPropagatesNanAsPyTorch() {
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        v[5] = Double.NaN;
        Parity.Pair x = Parity.of(DType.FLOAT32, v, 1, 1, 4, 4);
        Pooling.Params p = new Pooling.Params(2, 2, 2, 2, 0, 0, false, true);
        Parity.Pair y = Parity.empty(DType.FLOAT32, 1, 1, 2, 2), idx = Parity.empty(DType.INT64, 1, 1, 2, 2);
        Parity.cpu().pooling().maxPool2d(x.cpu(), p, y.cpu(), idx.cpu());
        Parity.cuda().pooling().maxPool2d(x.cuda(), p, y.cuda(), idx.cuda());
        Parity.assertClose("max_pool2d with NaN", y);
        Parity.assertSame("max_pool2d indices with NaN", idx);
    }
}

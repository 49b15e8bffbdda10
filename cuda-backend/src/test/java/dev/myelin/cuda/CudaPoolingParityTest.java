package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.backend.Pooling;
import dev.myelin.cuda.kernels.PoolingCases.Case;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The CUDA backend's pooling (cuDNN and our kernels) against the CPU backend. */
@GpuTest
class CudaPoolingParityTest {
    @ParameterizedTest
    @MethodSource("dev.myelin.cuda.kernels.PoolingCases#cases")
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
    @MethodSource("dev.myelin.cuda.kernels.PoolingCases#cases")
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

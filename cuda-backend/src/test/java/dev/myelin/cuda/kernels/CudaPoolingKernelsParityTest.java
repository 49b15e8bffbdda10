package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.backend.Pooling;
import dev.myelin.cuda.CudaPooling;
import dev.myelin.cuda.kernels.PoolingCases.Case;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;

import static dev.myelin.cuda.kernels.GpuParity.Pair;
import static dev.myelin.cuda.kernels.GpuParity.assertExact;
import static dev.myelin.cuda.kernels.GpuParity.cpu;
import static dev.myelin.cuda.kernels.GpuParity.poisoned;
import static dev.myelin.cuda.kernels.GpuParity.random;

/**
 * CudaPooling's kernels (pooling.cu; no cuDNN given) against the CPU backend, every geometry through our kernels
 * (the backend's Pooling sends the cuDNN-shaped average pools to cuDNN instead; see
 * backend-tests' PoolTest): outputs, max indices and both backwards, bit for bit, including ties,
 * NaN and infinities.
 */
class CudaPoolingKernelsParityTest {
    @KernelTarget.RunsOnGpu
    class OnGpu extends Cases {}

    @KernelTarget.RunsOnHostEmulator
    class OnHostEmulator extends Cases {}

    abstract static class Cases {
        private final Pooling cuda = new CudaPooling(null, null, GpuParity.runner());

        @ParameterizedTest
        @MethodSource("dev.myelin.cuda.kernels.PoolingCases#cases")
        void maxPoolForwardIndicesAndBackward(Case k) {
            maxPool(k, random(3, k.dtype(), k.n(), k.c(), k.h(), k.w()), "");
        }

        @ParameterizedTest
        @MethodSource("dev.myelin.cuda.kernels.PoolingCases#cases")
        void avgPoolForwardAndBackward(Case k) {
            avgPool(k, random(1, k.dtype(), k.n(), k.c(), k.h(), k.w()), "");
        }

        /** Inputs drawn from -1, 0, 1 (ties everywhere), NaN, both infinities and -0.0: bit for bit as the CPU. */
        @ParameterizedTest
        @MethodSource("dev.myelin.cuda.kernels.PoolingCases#cases")
        void tiesNanAndInfinities(Case k) {
            Random r = new Random(k.h() * 31L + k.w());
            double[] specials = {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0};
            double[] v = new double[k.n() * k.c() * k.h() * k.w()];
            for (int i = 0; i < v.length; i++) v[i] = r.nextInt(8) == 0 ? specials[r.nextInt(4)] : r.nextInt(3) - 1;
            Pair x = GpuParity.of(k.dtype(), v, k.n(), k.c(), k.h(), k.w());
            maxPool(k, x, " with ties, NaN, inf");
            avgPool(k, x, " with ties, NaN, inf");
        }

        private void maxPool(Case k, Pair x, String what) {
            Pair y = poisoned(k.dtype(), k.n(), k.c(), k.oh(), k.ow());
            Pair idx = poisoned(DType.INT64, k.n(), k.c(), k.oh(), k.ow());
            cpu().pooling().maxPool2d(x.cpu(), k.p(), y.cpu(), idx.cpu());
            cuda.maxPool2d(x.cuda(), k.p(), y.cuda(), idx.cuda());
            assertExact("max_pool2d " + k + what, y);
            assertExact("max_pool2d indices " + k + what, idx);

            Pair gy = random(4, k.dtype(), k.n(), k.c(), k.oh(), k.ow());
            Pair gx = poisoned(k.dtype(), k.n(), k.c(), k.h(), k.w());
            cpu().pooling().maxPool2dBackward(gy.cpu(), idx.cpu(), k.p(), gx.cpu());
            cuda.maxPool2dBackward(gy.cuda(), idx.cuda(), k.p(), gx.cuda());
            assertExact("max_pool2d backward " + k + what, gx);
        }

        private void avgPool(Case k, Pair x, String what) {
            Pair y = poisoned(k.dtype(), k.n(), k.c(), k.oh(), k.ow());
            cpu().pooling().avgPool2d(x.cpu(), k.p(), y.cpu());
            cuda.avgPool2d(x.cuda(), k.p(), y.cuda());
            assertExact("avg_pool2d " + k + what, y);

            Pair gy = random(2, k.dtype(), k.n(), k.c(), k.oh(), k.ow());
            Pair gx = poisoned(k.dtype(), k.n(), k.c(), k.h(), k.w());
            cpu().pooling().avgPool2dBackward(gy.cpu(), k.p(), gx.cpu());
            cuda.avgPool2dBackward(gy.cuda(), k.p(), gx.cuda());
            assertExact("avg_pool2d backward " + k + what, gx);
        }
    }
}

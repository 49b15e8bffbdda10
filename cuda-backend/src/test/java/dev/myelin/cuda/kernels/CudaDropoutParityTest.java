package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.cuda.CudaDropout;
import org.junit.jupiter.api.Test;

import static dev.myelin.cuda.kernels.GpuParity.Pair;
import static dev.myelin.cuda.kernels.GpuParity.assertExact;
import static dev.myelin.cuda.kernels.GpuParity.cpu;
import static dev.myelin.cuda.kernels.GpuParity.poisoned;
import static dev.myelin.cuda.kernels.GpuParity.uniform;

/** CudaDropout draws the CPU backend's masks: outputs equal bit for bit, for element and channel dropout. */
class CudaDropoutParityTest {
    @KernelTarget.RunsOnGpu
    class OnGpu extends Cases {}

    @KernelTarget.RunsOnHostEmulator
    class OnHostEmulator extends Cases {}

    abstract static class Cases {
        private final CudaDropout cuda = new CudaDropout(GpuParity.runner());

        @Test
        void sameMasksAndScalesAsTheCpu() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int n : new int[] {1, 3, 4, 1001, (1 << 20) + 5}) {
                    for (double p : new double[] {0, 0.1, 0.5, 0.875}) {
                        for (long[] so : new long[][] {{0, 0}, {42, 1 << 20}, {-7, Long.MAX_VALUE - 2}}) {
                            Pair x = uniform(n, dt, -2, 2, n), out = poisoned(dt, n);
                            cpu().dropout().dropout(x.cpu(), p, so[0], so[1], 1, out.cpu());
                            cuda.dropout(x.cuda(), p, so[0], so[1], 1, out.cuda());
                            assertExact("dropout " + dt + " n=" + n + " p=" + p + " seed " + so[0] + " offset " + so[1], out);
                        }
                    }
                }
            }
        }

        @Test
        void channelDropoutDrawsOncePerPlane() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                int[] shape = {5, 7, 3, 11};
                Pair x = uniform(1, dt, -2, 2, shape), out = poisoned(dt, shape);
                cpu().dropout().dropout(x.cpu(), 0.4, 1234, 99, 33, out.cpu());
                cuda.dropout(x.cuda(), 0.4, 1234, 99, 33, out.cuda());
                assertExact("dropout2d " + dt, out);
            }
        }
    }
}

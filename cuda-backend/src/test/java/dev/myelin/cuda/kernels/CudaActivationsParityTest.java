package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.backend.Activations;
import dev.myelin.cuda.CudaActivations;
import org.junit.jupiter.api.Test;

import static dev.myelin.cuda.kernels.GpuParity.Pair;
import static dev.myelin.cuda.kernels.GpuParity.assertClose;
import static dev.myelin.cuda.kernels.GpuParity.cpu;
import static dev.myelin.cuda.kernels.GpuParity.poisoned;
import static dev.myelin.cuda.kernels.GpuParity.uniform;

/** CudaActivations against the CPU backend: every activation forward and backward, alone and after a bias; softmax along every dim. */
class CudaActivationsParityTest {
    @KernelTarget.RunsOnGpu
    class OnGpu extends Cases {}

    @KernelTarget.RunsOnHostEmulator
    class OnHostEmulator extends Cases {}

    abstract static class Cases {
        private final Activations cpuKernels = cpu().activations();
        private final CudaActivations cuda = new CudaActivations(GpuParity.runner());

        @Test
        void activationsForwardAndBackward() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int n : new int[] {1, 7, 1000, (1 << 18) + 3}) {
                    for (Kind k : Kind.values()) {
                        Pair x = uniform(n + k.ordinal(), dt, -6, 6, n), g = uniform(n + 99, dt, -1, 1, n);
                        Pair y = poisoned(dt, n), gx = poisoned(dt, n);
                        cpuKernels.forward(k, 0.01, x.cpu(), y.cpu());
                        cuda.forward(k, 0.01, x.cuda(), y.cuda());
                        assertClose(k + " forward " + dt + " n=" + n, y);
                        Pair yIn = GpuParity.copyOf(y);
                        cpuKernels.backward(k, 0.01, x.cpu(), yIn.cpu(), g.cpu(), gx.cpu());
                        cuda.backward(k, 0.01, x.cuda(), yIn.cuda(), g.cuda(), gx.cuda());
                        assertClose(k + " backward " + dt + " n=" + n, gx);
                    }
                }
            }
        }

        @Test
        void biasActivationForwardAndBackward() {
            int[][] shapes = {{1, 1}, {5, 7}, {64, 1000}, {3, 4099}};
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int[] shape : shapes) {
                    for (Kind k : Kind.values()) {
                        String what = "bias " + k + " " + dt + " " + java.util.Arrays.toString(shape);
                        Pair x = uniform(shape[1] + k.ordinal(), dt, -5, 5, shape), bias = uniform(7, dt, -1, 1, shape[1]);
                        Pair g = uniform(11, dt, -1, 1, shape), y = poisoned(dt, shape), gx = poisoned(dt, shape);
                        cpuKernels.biasForward(k, 0.01, x.cpu(), bias.cpu(), y.cpu());
                        cuda.biasForward(k, 0.01, x.cuda(), bias.cuda(), y.cuda());
                        assertClose(what + " forward", y);
                        Pair yIn = GpuParity.copyOf(y);
                        cpuKernels.biasBackward(k, 0.01, x.cpu(), bias.cpu(), yIn.cpu(), g.cpu(), gx.cpu());
                        cuda.biasBackward(k, 0.01, x.cuda(), bias.cuda(), yIn.cuda(), g.cuda(), gx.cuda());
                        assertClose(what + " backward", gx);
                    }
                }
            }
        }

        @Test
        void softmaxAndLogSoftmaxAlongEveryDim() {
            int[][] shapes = {{1}, {5, 3}, {3, 1500}, {4, 7, 33}, {2, 2000, 3}};
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int[] shape : shapes) {
                    for (int dim = 0; dim < shape.length; dim++) {
                        for (boolean log : new boolean[] {false, true}) {
                            String what = (log ? "log_softmax " : "softmax ") + dt + " " + java.util.Arrays.toString(shape)
                                    + " dim " + dim;
                            Pair x = uniform(dim * 7 + shape.length, dt, -10, 10, shape), y = poisoned(dt, shape);
                            cpuKernels.softmax(x.cpu(), dim, log, y.cpu());
                            cuda.softmax(x.cuda(), dim, log, y.cuda());
                            assertClose(what, y);
                            Pair yIn = GpuParity.copyOf(y), g = uniform(3, dt, -1, 1, shape), gx = poisoned(dt, shape);
                            cpuKernels.softmaxBackward(yIn.cpu(), g.cpu(), dim, log, gx.cpu());
                            cuda.softmaxBackward(yIn.cuda(), g.cuda(), dim, log, gx.cuda());
                            assertClose(what + " backward", gx);
                        }
                    }
                }
            }
        }
    }
}

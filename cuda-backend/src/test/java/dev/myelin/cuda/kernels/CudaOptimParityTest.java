package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.backend.Optim;
import dev.myelin.cuda.CudaOptim;
import org.junit.jupiter.api.Test;

import static dev.myelin.cuda.kernels.GpuParity.Pair;
import static dev.myelin.cuda.kernels.GpuParity.assertExact;
import static dev.myelin.cuda.kernels.GpuParity.cpu;
import static dev.myelin.cuda.kernels.GpuParity.uniform;

/**
 * CudaOptim against the CPU backend over several steps. The kernels do the CPU's operations in
 * the CPU's order with the CPU's rounded constants (and no fused multiply-adds), so parameters
 * and states must agree bit for bit.
 */
class CudaOptimParityTest {
    @KernelTarget.RunsOnGpu
    class OnGpu extends Cases {}

    @KernelTarget.RunsOnHostEmulator
    class OnHostEmulator extends Cases {}

    abstract static class Cases {
        private static final int[] SHAPE = {37, 29};
        private final Optim cpuKernels = cpu().optim();
        private final CudaOptim cuda = new CudaOptim(GpuParity.runner());

        private interface Step {
            void run(Optim o, boolean onCuda, Pair[] s, int step);
        }

        /** The parameter and the optimizer's state tensors (non-negative, as squared averages are). */
        private static Pair[] states(DType dt, int count) {
            Pair[] s = new Pair[count];
            s[0] = uniform(1, dt, -1, 1, SHAPE);
            for (int i = 1; i < count; i++) s[i] = uniform(10 + i, dt, 0, 0.1, SHAPE);
            return s;
        }

        /** Four steps on both backends; every tensor but the gradient is compared after each. */
        private void check(String what, DType dt, int states, Step step) {
            Pair[] s = states(dt, states);
            for (int k = 1; k <= 4; k++) {
                Pair grad = uniform(100 + k, dt, -1, 1, SHAPE);
                Pair[] withGrad = new Pair[states + 1];
                withGrad[0] = s[0];
                withGrad[1] = grad;
                System.arraycopy(s, 1, withGrad, 2, states - 1);
                step.run(cpuKernels, false, withGrad, k);
                step.run(cuda, true, withGrad, k);
                for (int i = 0; i < states; i++) assertExact(what + " " + dt + " step " + k + " tensor " + i, s[i]);
            }
        }

        private static dev.myelin.Tensor t(Pair p, boolean onCuda) {
            return p == null ? null : onCuda ? p.cuda() : p.cpu();
        }

        @Test
        void sgdWithMomentumDampeningNesterovAndWeightDecay() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                check("sgd", dt, 2, (o, c, s, k) -> o.sgd(t(s[0], c), t(s[1], c), t(s[2], c), 0.05, 0.9, 0.1, true, 1e-3, k == 1));
                check("sgd plain", dt, 1, (o, c, s, k) -> o.sgd(t(s[0], c), t(s[1], c), null, 0.05, 0, 0, false, 0, k == 1));
            }
        }

        @Test
        void rmspropCenteredWithMomentum() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                check("rmsprop", dt, 4, (o, c, s, k) -> o.rmsprop(t(s[0], c), t(s[1], c), t(s[2], c), t(s[3], c), t(s[4], c),
                        0.01, 0.99, 1e-8, 1e-2, 0.9));
                check("rmsprop plain", dt, 2, (o, c, s, k) -> o.rmsprop(t(s[0], c), t(s[1], c), t(s[2], c), null, null,
                        0.01, 0.9, 1e-6, 0, 0));
            }
        }

        @Test
        void adagrad() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                check("adagrad", dt, 2, (o, c, s, k) -> o.adagrad(t(s[0], c), t(s[1], c), t(s[2], c), 0.1 / (1 + (k - 1) * 0.01),
                        1e-2, 1e-10));
            }
        }

        @Test
        void adamAdamwAndAmsgrad() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                check("adam amsgrad", dt, 4, (o, c, s, k) -> o.adam(t(s[0], c), t(s[1], c), t(s[2], c), t(s[3], c), t(s[4], c),
                        1e-3, 0.9, 0.999, 1e-8, 1e-2, false, k));
                check("adamw", dt, 3, (o, c, s, k) -> o.adam(t(s[0], c), t(s[1], c), t(s[2], c), t(s[3], c), null,
                        1e-3, 0.9, 0.999, 1e-8, 1e-2, true, k));
            }
        }

        @Test
        void aTransposedParameterIsUpdatedInPlace() {
            DType dt = DType.FLOAT32;
            Pair base = uniform(1, dt, -1, 1, 29, 37), p = base.map(v -> v.t()), g = uniform(2, dt, -1, 1, SHAPE);
            cpuKernels.sgd(p.cpu(), g.cpu(), null, 0.1, 0, 0, false, 0, true);
            cuda.sgd(p.cuda(), g.cuda(), null, 0.1, 0, 0, false, 0, true);
            assertExact("sgd on a transposed param", base);
        }
    }
}

package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.backend.Losses.Pointwise;
import dev.myelin.backend.Losses;
import dev.myelin.cuda.CudaLosses;
import org.junit.jupiter.api.Test;

import static dev.myelin.cuda.kernels.GpuParity.Pair;
import static dev.myelin.cuda.kernels.GpuParity.assertClose;
import static dev.myelin.cuda.kernels.GpuParity.cpu;
import static dev.myelin.cuda.kernels.GpuParity.indices;
import static dev.myelin.cuda.kernels.GpuParity.poisoned;
import static dev.myelin.cuda.kernels.GpuParity.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CudaLosses against the CPU backend: pointwise losses, cross-entropy and NLL with every option. */
class CudaLossesParityTest {
    @KernelTarget.RunsOnGpu
    class OnGpu extends Cases {}

    @KernelTarget.RunsOnHostEmulator
    class OnHostEmulator extends Cases {}

    abstract static class Cases {
        private final Losses cpuKernels = cpu().losses();
        private final CudaLosses cuda = new CudaLosses(GpuParity.runner());

        @Test
        void pointwiseLossesAndGradients() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (Pointwise k : Pointwise.values()) {
                    boolean probabilities = k == Pointwise.BCE;
                    Pair x = probabilities ? uniform(1, dt, 0.01, 0.99, 31, 17) : uniform(1, dt, -3, 3, 31, 17);
                    Pair t = (k == Pointwise.BCE || k == Pointwise.BCE_WITH_LOGITS || k == Pointwise.KL_DIV)
                            ? uniform(2, dt, 0, 1, 17, 31).map(v -> v.t()) : uniform(2, dt, -3, 3, 17, 31).map(v -> v.t());
                    Pair pw = k == Pointwise.BCE_WITH_LOGITS ? uniform(3, dt, 0.5, 2, 1, 17).map(v -> v.expand(31, 17)) : null;
                    Pair out = poisoned(dt, 31, 17), gx = poisoned(dt, 31, 17);
                    Pair g = uniform(4, dt, -1, 1, 1).map(v -> v.expand(31, 17));
                    double param = k == Pointwise.SMOOTH_L1 || k == Pointwise.HUBER ? 0.7 : 0;
                    cpuKernels.pointwise(k, param, x.cpu(), t.cpu(), pw == null ? null : pw.cpu(), out.cpu());
                    cuda.pointwise(k, param, x.cuda(), t.cuda(), pw == null ? null : pw.cuda(), out.cuda());
                    assertClose(k + " " + dt, out);
                    cpuKernels.pointwiseBackward(k, param, x.cpu(), t.cpu(), pw == null ? null : pw.cpu(), g.cpu(), gx.cpu());
                    cuda.pointwiseBackward(k, param, x.cuda(), t.cuda(), pw == null ? null : pw.cuda(), g.cuda(), gx.cuda());
                    assertClose(k + " backward " + dt, gx);
                }
            }
        }

        @Test
        void crossEntropyAndNllWithWeightsSmoothingAndIgnoredSamples() {
            int[][] shapes = {{64, 10, 1}, {3, 1001, 1}, {4, 5, 33}, {1, 2, 1}};
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (DType td : new DType[] {DType.INT32, DType.INT64}) {
                    for (int[] s : shapes) {
                        int n = s[0], c = s[1], sp = s[2];
                        Pair logits = uniform(c, dt, -8, 8, s);
                        Pair targets = indices(n, td, c, n, sp);
                        long ignore = c > 2 ? 1 : -100;  // class 1 is ignored where it occurs
                        for (boolean weighted : new boolean[] {false, true}) {
                            Pair w = weighted ? uniform(7, dt, 0.2, 2, c) : null;
                            for (double ls : new double[] {0, 0.1}) {
                                String what = "cross_entropy " + dt + " " + td + " " + java.util.Arrays.toString(s)
                                        + (weighted ? " weighted" : "") + " ls " + ls;
                                Pair loss = poisoned(dt, n, sp), sw = poisoned(dt, n, sp);
                                cpuKernels.crossEntropy(logits.cpu(), targets.cpu(), w == null ? null : w.cpu(), ignore, ls,
                                        loss.cpu(), sw.cpu());
                                cuda.crossEntropy(logits.cuda(), targets.cuda(), w == null ? null : w.cuda(), ignore, ls,
                                        loss.cuda(), sw.cuda());
                                assertClose(what, loss);
                                assertClose(what + " sample weights", sw);
                                Pair gl = uniform(5, dt, 0, 1, n, sp), gx = poisoned(dt, s);
                                cpuKernels.crossEntropyBackward(logits.cpu(), targets.cpu(), w == null ? null : w.cpu(), ignore,
                                        ls, gl.cpu(), gx.cpu());
                                cuda.crossEntropyBackward(logits.cuda(), targets.cuda(), w == null ? null : w.cuda(), ignore,
                                        ls, gl.cuda(), gx.cuda());
                                assertClose(what + " backward", gx);
                            }
                            Pair loss = poisoned(dt, n, sp), sw = poisoned(dt, n, sp), gx = poisoned(dt, s);
                            cpuKernels.nll(logits.cpu(), targets.cpu(), w == null ? null : w.cpu(), ignore, loss.cpu(), sw.cpu());
                            cuda.nll(logits.cuda(), targets.cuda(), w == null ? null : w.cuda(), ignore, loss.cuda(), sw.cuda());
                            assertClose("nll " + dt, loss);
                            assertClose("nll sample weights " + dt, sw);
                            Pair gl = uniform(6, dt, 0, 1, n, sp);
                            cpuKernels.nllBackward(targets.cpu(), w == null ? null : w.cpu(), ignore, gl.cpu(), gx.cpu());
                            cuda.nllBackward(targets.cuda(), w == null ? null : w.cuda(), ignore, gl.cuda(), gx.cuda());
                            assertClose("nll backward " + dt, gx);
                        }
                    }
                }
            }
        }

        @Test
        void stridedLogitsMatch() {
            Pair logits = uniform(3, DType.FLOAT32, -5, 5, 7, 6, 5).map(t -> t.transpose(0, 1));  // [6, 7, 5], strided
            Pair targets = indices(4, DType.INT64, 7, 5, 6).map(t -> t.t());
            Pair loss = poisoned(DType.FLOAT32, 6, 5), sw = poisoned(DType.FLOAT32, 6, 5);
            cpuKernels.crossEntropy(logits.cpu(), targets.cpu(), null, -100, 0.05, loss.cpu(), sw.cpu());
            cuda.crossEntropy(logits.cuda(), targets.cuda(), null, -100, 0.05, loss.cuda(), sw.cuda());
            assertClose("cross_entropy on strided logits and targets", loss);
        }

        @Test
        void anOutOfRangeTargetIsReportedAsTheCpuDoes() {
            Pair logits = uniform(1, DType.FLOAT32, -1, 1, 4, 3, 1);
            Pair targets = GpuParity.of(DType.INT64, new double[] {0, -100, 7, 3}, 4, 1);
            Pair loss = poisoned(DType.FLOAT32, 4, 1), sw = poisoned(DType.FLOAT32, 4, 1);
            var cpuError = assertThrows(IllegalArgumentException.class, () -> cpuKernels.crossEntropy(logits.cpu(),
                    targets.cpu(), null, -100, 0, loss.cpu(), sw.cpu()));
            var cudaError = assertThrows(IllegalArgumentException.class, () -> cuda.crossEntropy(logits.cuda(),
                    targets.cuda(), null, -100, 0, loss.cuda(), sw.cuda()));
            assertEquals(cpuError.getMessage(), cudaError.getMessage());
        }
    }
}

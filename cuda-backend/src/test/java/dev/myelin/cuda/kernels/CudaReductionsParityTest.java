package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.backend.Reductions;
import dev.myelin.cuda.CudaElementwise;
import dev.myelin.cuda.CudaReductions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.myelin.cuda.kernels.GpuParity.Pair;
import static dev.myelin.cuda.kernels.GpuParity.assertClose;
import static dev.myelin.cuda.kernels.GpuParity.cpu;
import static dev.myelin.cuda.kernels.GpuParity.poisoned;
import static dev.myelin.cuda.kernels.GpuParity.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** CudaReductions against the CPU backend: every op over every pattern of reduced dims, each kernel plan. */
class CudaReductionsParityTest {
    @KernelTarget.RunsOnGpu
    class OnGpu extends Cases {}

    @KernelTarget.RunsOnHostEmulator
    class OnHostEmulator extends Cases {}

    abstract static class Cases {
        private final Reductions cpuKernels = cpu().reductions();
        private final CudaReductions cuda = new CudaReductions(GpuParity.runner());

        /** (x shape, reduced mask) cases covering the warp, block (chunked), column and general plans. */
        private static final Object[][] CASES = {
                {new int[] {7}, new boolean[] {true}},
                {new int[] {1_000_003}, new boolean[] {true}},
                {new int[] {37, 1000}, new boolean[] {false, true}},
                {new int[] {5, 100_001}, new boolean[] {false, true}},
                {new int[] {1000, 37}, new boolean[] {true, false}},
                {new int[] {300_001, 3}, new boolean[] {true, false}},
                {new int[] {4, 5, 6}, new boolean[] {true, false, true}},
                {new int[] {3, 70, 5, 900}, new boolean[] {false, true, false, true}},
                {new int[] {6, 1, 9}, new boolean[] {false, true, false}},
                {new int[] {2, 3}, new boolean[] {false, false}},
        };

        @Test
        void sumMeanMaxMinMatch() {
            for (DType dt : DType.values()) {
                for (Object[] c : CASES) {
                    int[] shape = (int[]) c[0], out = keep(shape, (boolean[]) c[1]);
                    Pair x = uniform(shape.length, dt, -100, 100, shape);
                    for (Reductions.Op op : Reductions.Op.values()) {
                        if (op == Reductions.Op.MEAN && !dt.isFloating()) continue;
                        Pair o = poisoned(dt, out);
                        cpuKernels.reduce(op, x.cpu(), o.cpu());
                        cuda.reduce(op, x.cuda(), o.cuda());
                        assertClose(op + " " + dt + " " + Arrays.toString(shape) + " -> " + Arrays.toString(out), o);
                    }
                }
            }
        }

        @Test
        void varianceMatches() {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (Object[] c : CASES) {
                    int[] shape = (int[]) c[0], out = keep(shape, (boolean[]) c[1]);
                    Pair x = uniform(11, dt, 3, 5, shape);
                    for (int correction : new int[] {0, 1}) {
                        Pair o = poisoned(dt, out);
                        cpuKernels.variance(x.cpu(), correction, o.cpu());
                        cuda.variance(x.cuda(), correction, o.cuda());
                        assertClose("var " + dt + " " + Arrays.toString(shape) + " correction " + correction, o,
                                dt == DType.FLOAT32 ? 1e-5 : 1e-11);
                    }
                }
            }
        }

        @Test
        void argmaxAndArgminMatchIncludingTiesAndNaN() {
            int[][] shapes = {{9}, {4, 3000}, {6, 30, 4}, {50, 7}};
            for (DType dt : DType.values()) {
                for (int[] shape : shapes) {
                    for (int dim = 0; dim < shape.length; dim++) {
                        // Few distinct values, so that ties are common; a NaN here and there for floats.
                        Pair x = uniform(dim, dt, 0, 4, shape);
                        if (dt.isFloating()) {
                            double[] v = dev.myelin.ops.Creation.toHost(x.cpu()).toDoubles();
                            for (int i = 0; i < v.length; i++) v[i] = Math.floor(v[i]);
                            for (int i = 13; i < v.length; i += 97) v[i] = Double.NaN;
                            x = GpuParity.of(dt, v, shape);
                        }
                        int[] out = shape.clone();
                        out[dim] = 1;
                        for (boolean max : new boolean[] {true, false}) {
                            Pair o = poisoned(DType.INT64, out);
                            cpuKernels.argReduce(max, x.cpu(), dim, o.cpu());
                            cuda.argReduce(max, x.cuda(), dim, o.cuda());
                            assertClose((max ? "argmax " : "argmin ") + dt + " " + Arrays.toString(shape) + " dim " + dim, o);
                        }
                    }
                }
            }
        }

        /** 64-bit indexing: a sum over 2^31 + 8 elements (17 GB of float64). Run with -Dmyelin.gpu.large=true. */
        @Test
        void sumOverMoreThanTwoToTheThirtyOneElements() {
            Assumptions.assumeTrue(Boolean.getBoolean("myelin.gpu.large"), "large-tensor test: -Dmyelin.gpu.large=true");
            long n = (1L << 31) + 7;
            var cudaBackend = GpuParity.cuda();
            // Tensor sizes are ints: [2, 2^30 + 4] ones.
            dev.myelin.Tensor x = dev.myelin.Tensor.empty(cudaBackend, DType.FLOAT64, 2, (int) ((n + 1) / 2));
            new CudaElementwise(GpuParity.runner()).fill(x, 1.0);
            dev.myelin.Tensor out = dev.myelin.Tensor.empty(cudaBackend, DType.FLOAT64, 1, 1);
            cuda.reduce(Reductions.Op.SUM, x, out);
            assertEquals((double) (2 * ((n + 1) / 2)), out.toDoubleArray()[0], "every element counted once");
            x.close();
            out.close();
        }

        private static int[] keep(int[] shape, boolean[] reduced) {
            int[] out = shape.clone();
            for (int d = 0; d < shape.length; d++) if (reduced[d]) out[d] = 1;
            return out;
        }
    }
}

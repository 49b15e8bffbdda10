package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.cuda.CudaIndexing;
import org.junit.jupiter.api.Test;

import static dev.myelin.cuda.kernels.GpuParity.Pair;
import static dev.myelin.cuda.kernels.GpuParity.assertExact;
import static dev.myelin.cuda.kernels.GpuParity.cpu;
import static dev.myelin.cuda.kernels.GpuParity.indices;
import static dev.myelin.cuda.kernels.GpuParity.poisoned;
import static dev.myelin.cuda.kernels.GpuParity.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * CudaIndexing against the CPU backend: gather and scatter-add along every dimension, on
 * contiguous and strided indexed tensors, int32 and int64 indices, bit for bit (scatter-add adds
 * in the same order); an out-of-range index is reported with the CPU's message.
 */
class CudaIndexingParityTest {
    @KernelTarget.RunsOnGpu
    class OnGpu extends Cases {}

    @KernelTarget.RunsOnHostEmulator
    class OnHostEmulator extends Cases {}

    abstract static class Cases {
        private final CudaIndexing cuda = new CudaIndexing(GpuParity.runner());

        @Test
        void gatherAlongEveryDimension() {
            int[] shape = {6, 7, 5};
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (DType it : new DType[] {DType.INT32, DType.INT64}) {
                    for (int dim = 0; dim < 3; dim++) {
                        for (boolean strided : new boolean[] {false, true}) {
                            int[] ishape = shape.clone();
                            ishape[dim] = 9;
                            int size = shape[dim];
                            // A strided x: the transpose of a contiguous tensor of the permuted shape.
                            Pair x = strided
                                    ? uniform(dim + 1, dt, -2, 2, shape[2], shape[1], shape[0])
                                            .map(t -> t.permute(2, 1, 0)) : uniform(dim + 1, dt, -2, 2, shape);
                            Pair index = indices(dim + 7, it, size, ishape), out = poisoned(dt, ishape);
                            cpu().indexing().gather(x.cpu(), dim, index.cpu(), out.cpu());
                            cuda.gather(x.cuda(), dim, index.cuda(), out.cuda());
                            assertExact("gather " + dt + " " + it + " dim " + dim + (strided ? " strided" : ""), out);
                        }
                    }
                }
            }
        }

        @Test
        void scatterAddAlongEveryDimension() {
            int[] shape = {6, 7, 5};
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (DType it : new DType[] {DType.INT32, DType.INT64}) {
                    for (int dim = 0; dim < 3; dim++) {
                        for (boolean strided : new boolean[] {false, true}) {
                            int[] ishape = shape.clone();
                            ishape[dim] = 11;  // more positions than slots: repeated indices accumulate
                            Pair out = strided
                                    ? uniform(dim + 3, dt, -2, 2, shape[2], shape[1], shape[0])
                                            .map(t -> t.permute(2, 1, 0)) : uniform(dim + 3, dt, -2, 2, shape);
                            Pair index = indices(dim + 9, it, shape[dim], ishape);
                            Pair src = uniform(dim + 5, dt, -1, 1, ishape);
                            cpu().indexing().scatterAdd(src.cpu(), dim, index.cpu(), out.cpu());
                            cuda.scatterAdd(src.cuda(), dim, index.cuda(), out.cuda());
                            assertExact("scatter_add " + dt + " " + it + " dim " + dim + (strided ? " strided" : ""),
                                    out.map(t -> t.contiguous()));
                        }
                    }
                }
            }
        }

        @Test
        void anOutOfRangeIndexIsReportedAsTheCpuDoes() {
            Pair x = uniform(1, DType.FLOAT32, -1, 1, 3, 4);
            Pair index = GpuParity.of(DType.INT64, new double[] {0, 3, 4, 1, -1, 2}, 3, 2);
            Pair out = poisoned(DType.FLOAT32, 3, 2);
            var cpuError = assertThrows(IllegalArgumentException.class,
                    () -> cpu().indexing().gather(x.cpu(), 1, index.cpu(), out.cpu()));
            var cudaError = assertThrows(IllegalArgumentException.class,
                    () -> cuda.gather(x.cuda(), 1, index.cuda(), out.cuda()));
            assertEquals(cpuError.getMessage(), cudaError.getMessage());
            var cpuAdd = assertThrows(IllegalArgumentException.class,
                    () -> cpu().indexing().scatterAdd(out.cpu(), 1, index.cpu(), x.cpu()));
            var cudaAdd = assertThrows(IllegalArgumentException.class,
                    () -> cuda.scatterAdd(out.cuda(), 1, index.cuda(), x.cuda()));
            assertEquals(cpuAdd.getMessage(), cudaAdd.getMessage());
        }
    }
}

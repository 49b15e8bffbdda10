package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.backend.Normalization;
import dev.myelin.cuda.CudaNormalization;
import org.junit.jupiter.api.Test;

import static dev.myelin.cuda.kernels.GpuParity.Pair;
import static dev.myelin.cuda.kernels.GpuParity.assertClose;
import static dev.myelin.cuda.kernels.GpuParity.cpu;
import static dev.myelin.cuda.kernels.GpuParity.poisoned;
import static dev.myelin.cuda.kernels.GpuParity.uniform;

/** CudaNormalization's layer norm against the CPU backend's layer norm, forward and backward, warp and block rows. */
class CudaLayerNormParityTest {
    @KernelTarget.RunsOnGpu
    class OnGpu extends Cases {}

    @KernelTarget.RunsOnHostEmulator
    class OnHostEmulator extends Cases {}

    abstract static class Cases {
        private final Normalization cpuKernels = cpu().normalization();
        private final CudaNormalization cuda = new CudaNormalization(null, null, GpuParity.runner());

        @Test
        void forwardAndBackwardMatch() {
            int[][] shapes = {{1, 1}, {7, 33}, {3000, 40}, {5, 4099}};
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (int[] s : shapes) {
                    for (boolean affine : new boolean[] {false, true}) {
                        int m = s[0], d = s[1];
                        String what = "layerNorm " + dt + " " + m + "x" + d + (affine ? " affine" : "");
                        Pair x = uniform(d, dt, 2, 4, m, d);
                        Pair w = affine ? uniform(2, dt, 0.5, 1.5, d) : null, b = affine ? uniform(3, dt, -1, 1, d) : null;
                        Pair y = poisoned(dt, m, d), mean = poisoned(dt, m), inv = poisoned(dt, m);
                        cpuKernels.layerNorm(x.cpu(), w == null ? null : w.cpu(), b == null ? null : b.cpu(), 1e-5, y.cpu(),
                                mean.cpu(), inv.cpu());
                        cuda.layerNorm(x.cuda(), w == null ? null : w.cuda(), b == null ? null : b.cuda(), 1e-5, y.cuda(),
                                mean.cuda(), inv.cuda());
                        assertClose(what, y);
                        assertClose(what + " mean", mean);
                        assertClose(what + " invStd", inv);
                        Pair g = uniform(4, dt, -1, 1, m, d), gx = poisoned(dt, m, d);
                        Pair gw = affine ? poisoned(dt, d) : null, gb = affine ? poisoned(dt, d) : null;
                        cpuKernels.layerNormBackward(x.cpu(), g.cpu(), w == null ? null : w.cpu(), mean.cpu(), inv.cpu(),
                                gx.cpu(), gw == null ? null : gw.cpu(), gb == null ? null : gb.cpu());
                        cuda.layerNormBackward(x.cuda(), g.cuda(), w == null ? null : w.cuda(), mean.cuda(), inv.cuda(), gx.cuda(),
                                gw == null ? null : gw.cuda(), gb == null ? null : gb.cuda());
                        assertClose(what + " gradX", gx);
                        if (affine) {
                            assertClose(what + " gradWeight", gw);
                            assertClose(what + " gradBias", gb);
                        }
                    }
                }
            }
        }
    }
}

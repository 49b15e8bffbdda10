package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.nn.functional.F;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Group norm on each backend (a composite: its gradients come from autograd): F.groupNorm and
 * nn.GroupNorm against a naive float64 reference, gradcheck in float64, and the argument checks.
 */
class GroupNormTest {
    /** x [n, c, s]: each sample's groups of c / groups channels normalized, then scaled and shifted per channel. */
    private static double[] reference(double[] x, int n, int c, int s, int groups, double[] w, double[] b, double eps) {
        double[] y = new double[x.length];
        int per = c / groups * s;
        for (int i = 0; i < n; i++) {
            for (int gr = 0; gr < groups; gr++) {
                int from = (i * c + gr * (c / groups)) * s;
                double mean = 0, var = 0;
                for (int k = 0; k < per; k++) mean += x[from + k];
                mean /= per;
                for (int k = 0; k < per; k++) var += (x[from + k] - mean) * (x[from + k] - mean);
                var /= per;
                for (int k = 0; k < per; k++) {
                    int ch = (from + k) / s % c;
                    y[from + k] = (x[from + k] - mean) / Math.sqrt(var + eps) * (w == null ? 1 : w[ch])
                            + (b == null ? 0 : b[ch]);
                }
            }
        }
        return y;
    }

    private static double[] random(Random r, int n, double shift, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = shift + scale * r.nextGaussian();
        return v;
    }

    @OnEachBackend
    void forwardMatchesReference(BackendUnderTest on) {
        Random r = new Random(21);
        // {shape..., groups}: [N, C], [N, C, L], [N, C, H, W]; one group (layer norm over C, *) and one per channel.
        int[][] cases = {{3, 6, 3}, {2, 6, 5, 2}, {2, 4, 3, 2, 4}, {2, 4, 3, 2, 1}, {1, 3, 7, 3}};
        for (int[] cs : cases) {
            int[] shape = java.util.Arrays.copyOf(cs, cs.length - 1);
            int groups = cs[cs.length - 1], n = shape[0], c = shape[1], s = 1;
            for (int d = 2; d < shape.length; d++) s *= shape[d];
            double[] x = random(r, n * c * s, 3, 2), w = random(r, c, 1, 0.5), b = random(r, c, 0, 0.5);
            Tensor y = F.groupNorm(Tensor.of(x, shape), groups, Tensor.of(w, c), Tensor.of(b, c), 1e-5);
            String what = java.util.Arrays.toString(cs);
            assertArrayEquals(shape, y.shape(), what);
            assertArrayEquals(reference(x, n, c, s, groups, w, b, 1e-5), y.toDoubleArray(), 1e-12, what);
            Tensor plain = F.groupNorm(Tensor.of(x, shape), groups, null, null, 1e-2);
            assertArrayEquals(reference(x, n, c, s, groups, null, null, 1e-2), plain.toDoubleArray(), 1e-12, what);
        }
    }

    @OnEachBackend
    void moduleInFloat32(BackendUnderTest on) {
        Random r = new Random(22);
        double[] x = random(r, 2 * 6 * 10, 0.5, 2);
        for (int i = 0; i < x.length; i++) x[i] = (float) x[i];
        GroupNorm norm = new GroupNorm(3, 6);
        assertEquals("GroupNorm(3, 6, eps=1.0E-5, affine=true)", norm.toString());
        assertEquals(DType.FLOAT32, norm.weight.dtype());
        Tensor y = norm.forward(Tensor.of(x, 2, 6, 10).to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, y.dtype());
        assertArrayEquals(reference(x, 2, 6, 10, 3, null, null, 1e-5), y.toDoubleArray(), 1e-5);
        y.sum().backward();
        assertArrayEquals(new double[] {20, 20, 20, 20, 20, 20}, norm.bias.grad().toDoubleArray(), 1e-4);
        assertNull(new GroupNorm(2, 4, 1e-5, false, DType.FLOAT64).weight);
    }

    @OnEachBackend
    void gradcheck(BackendUnderTest on) {
        Random r = new Random(23);
        Tensor x = Tensor.of(random(r, 2 * 4 * 3, 0.3, 1), 2, 4, 3).requiresGrad(true);
        Tensor w = Tensor.of(random(r, 4, 1, 0.3), 4).requiresGrad(true);
        Tensor b = Tensor.of(random(r, 4, 0, 0.3), 4).requiresGrad(true);
        GradCheck.check(in -> F.groupNorm(in[0], 2, in[1], in[2], 1e-5), x, w, b);
        GradCheck.check(in -> F.groupNorm(in[0], 4, null, null, 1e-5), x);
        Tensor x2 = Tensor.of(random(r, 3 * 6, 0, 1), 3, 6).requiresGrad(true);
        Tensor b2 = Tensor.of(random(r, 6, 0, 0.3), 6).requiresGrad(true);
        GradCheck.check(in -> F.groupNorm(in[0], 3, null, in[1], 1e-5), x2, b2);
    }

    @OnEachBackend
    void argumentsAreChecked(BackendUnderTest on) {
        Tensor x = Tensor.zeros(DType.FLOAT64, 2, 6, 3);
        Class<IllegalArgumentException> bad = IllegalArgumentException.class;
        IllegalArgumentException e = assertThrows(bad, () -> F.groupNorm(x, 4, null, null, 1e-5));
        assertTrue(e.getMessage().startsWith("group_norm:") && e.getMessage().contains("num_groups=4")
                && e.getMessage().contains("[2, 6, 3]"), e.getMessage());
        e = assertThrows(bad, () -> F.groupNorm(x, 3, Tensor.ones(DType.FLOAT64, 3), null, 1e-5));
        assertTrue(e.getMessage().contains("'weight'") && e.getMessage().contains("[6]"), e.getMessage());
        e = assertThrows(bad, () -> F.groupNorm(x, 3, null, Tensor.ones(DType.FLOAT32, 6), 1e-5));
        assertTrue(e.getMessage().contains("'bias'") && e.getMessage().contains("dtype"), e.getMessage());
        e = assertThrows(bad, () -> F.groupNorm(Tensor.zeros(DType.FLOAT64, 6), 3, null, null, 1e-5));
        assertTrue(e.getMessage().contains("[N, C, *]"), e.getMessage());
        e = assertThrows(bad, () -> F.groupNorm(x, 3, null, null, 0));
        assertTrue(e.getMessage().contains("eps"), e.getMessage());
        e = assertThrows(bad, () -> new GroupNorm(4, 6));
        assertTrue(e.getMessage().startsWith("GroupNorm:") && e.getMessage().contains("num_groups=4"), e.getMessage());
    }
}

package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Reductions over dims with keepDim, their gradients and their errors. */
class ReductionTest {
    // [2, 3, 2]
    private static final double[] V = {1, -2, 3, 4, 0.5, 6, -7, 8, 9, 1.5, 2, -3};

    private static Tensor x() {
        return Tensor.of(V.clone(), 2, 3, 2);
    }

    @Test
    void sumAndMeanOverDims() {
        assertEquals(23, x().sum().item(), 1e-12);
        assertEquals(23.0 / 12, x().mean().item(), 1e-12);
        Tensor s1 = x().sum(1, false);
        assertArrayEquals(new int[] {2, 2}, s1.shape());
        assertArrayEquals(new double[] {4.5, 8, 4, 6.5}, s1.toDoubleArray(), 1e-12);
        Tensor s02 = x().sum(new int[] {0, -1}, true);
        assertArrayEquals(new int[] {1, 3, 1}, s02.shape());
        assertArrayEquals(new double[] {0, 17.5, 5.5}, s02.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {4.5 / 3, 8.0 / 3, 4.0 / 3, 6.5 / 3}, x().mean(1, false).toDoubleArray(), 1e-12);
    }

    @Test
    void extremaAndArgExtrema() {
        assertEquals(9, x().max().item());
        assertEquals(-7, x().min().item());
        assertArrayEquals(new double[] {3, 6, 9, 8}, x().max(1, false).toDoubleArray());
        assertArrayEquals(new long[] {1, 2, 1, 0}, x().argmax(1, false).toLongArray());
        assertArrayEquals(new long[] {2, 0, 0, 2}, x().argmin(1, false).toLongArray());
        Tensor ties = Tensor.of(new float[] {5, 5, 1}, 3);
        assertEquals(0, ties.argmax(0, false).item());
        assertEquals(DType.INT64, ties.argmax(0, true).dtype());
    }

    @Test
    void varianceWithCorrection() {
        double mean = 23.0 / 12, ss = 0;
        for (double v : V) ss += (v - mean) * (v - mean);
        assertEquals(ss / 11, x().var().item(), 1e-12);
        assertEquals(ss / 12, x().var(null, 0, false).item(), 1e-12);
        double[] perColumn = x().var(new int[] {1}, 1, false).toDoubleArray();
        for (int sample = 0; sample < 2; sample++) {
            for (int col = 0; col < 2; col++) {
                double m = 0, q = 0;
                for (int row = 0; row < 3; row++) m += V[sample * 6 + row * 2 + col] / 3;
                for (int row = 0; row < 3; row++) q += Math.pow(V[sample * 6 + row * 2 + col] - m, 2);
                assertEquals(q / 2, perColumn[sample * 2 + col], 1e-12);
            }
        }
    }

    @Test
    void float32SumsStayAccurateOverManyElements() {
        int n = 1_000_003;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 0.1f);
        // The float32 result's own spacing near 1e5 is 0.0078; naive float accumulation drifts by far more.
        assertEquals(n * (double) 0.1f, Tensor.of(ones, n).sum().item(), 0.008);
    }

    @Test
    void float32GroupedSumsMatchFloat64() {
        dev.myelin.random.Generator.defaultGenerator().manualSeed(5);
        Tensor x = Tensor.randn(8, 5, 3, 40);
        Tensor x64 = x.to(DType.FLOAT64);
        for (int[] dims : new int[][] {{0, 2, 3}, {1}, {0}, {3}, {1, 3}, {0, 1, 2, 3}}) {
            double[] want = x64.sum(dims, true).toDoubleArray(), got = x.sum(dims, true).toDoubleArray();
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4, java.util.Arrays.toString(dims));
        }
    }

    @Test
    void gradients() {
        GradCheck.check(in -> in[0].sum(1, false), x().requiresGrad(true));
        GradCheck.check(in -> in[0].mean(new int[] {0, 2}, true), x().requiresGrad(true));
        GradCheck.check(in -> in[0].max(2, false), x().requiresGrad(true));
        GradCheck.check(in -> in[0].min(0, true), x().requiresGrad(true));
        GradCheck.check(in -> in[0].var(new int[] {1}, 1, false), x().requiresGrad(true));
        GradCheck.check(in -> in[0].std(null, 0, false), x().requiresGrad(true));
    }

    @Test
    void maxGradientIsSharedAmongTies() {
        Tensor t = Tensor.of(new double[] {2, 5, 5}, 3).requiresGrad(true);
        t.max().backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5}, t.grad().toDoubleArray());
    }

    @Test
    void errorsNameTheOp() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(0, 3).max());
        assertTrue(e.getMessage().startsWith("max:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x().sum(3, false));
        assertTrue(e.getMessage().startsWith("sum:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x().sum(new int[] {1, 1}, false));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }
}

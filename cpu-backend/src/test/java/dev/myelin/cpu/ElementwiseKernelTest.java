package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The CPU's own elementwise details: large tensors split over threads (also in the middle of rows) give
 * the values of the plain loops. The elementwise device-generic tests are backend-tests'
 * dev.myelin.backend.ElementwiseTest.
 */
class ElementwiseKernelTest {
    private static final Random RANDOM = new Random(42);

    /** Values in the op's domain; some repeats so that comparisons see ties. */
    private static double[] data(int n, boolean positive) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = positive ? 0.1 + 3 * RANDOM.nextDouble() : 4 * RANDOM.nextDouble() - 2;
            if (i % 7 == 3) v[i] = positive ? 1.5 : 0.5;
        }
        return v;
    }

    @Test
    void largeTensorsTakeTheParallelPathsWithTheSameResults() {
        int n = 300_003;
        double[] va = data(n, true), vb = data(n, false);
        Tensor a = Tensor.of(va, n).to(DType.FLOAT32), b = Tensor.of(vb, n).to(DType.FLOAT32);
        float[] fa = a.toFloatArray(), fb = b.toFloatArray();
        float[] sum = a.add(b).toFloatArray(), exp = b.exp().toFloatArray(), pow = a.pow(1.5).toFloatArray();
        for (int i = 0; i < n; i += 997) {
            assertEquals(fa[i] + fb[i], sum[i]);
            assertEquals((float) Math.exp(fb[i]), exp[i], 2e-7 * exp[i]);
            assertEquals((float) Math.pow(fa[i], (float) 1.5), pow[i]);
        }
        // Multi-row walks split across threads in the middle of rows: a bias row and a transposed operand.
        Tensor m = a.reshape(3, n / 3), row = b.slice(0, 0, n / 3);
        float[] rowSum = m.add(row).toFloatArray(), tSum = m.t().mul(m.t()).toFloatArray();
        for (int i = 0; i < n; i += 1013) {
            int t = (i % 3) * (n / 3) + i / 3;
            assertEquals(fa[i] + fb[i % (n / 3)], rowSum[i], "bias row at " + i);
            assertEquals(fa[t] * fa[t], tSum[i], "transposed at " + i);
        }
        Tensor big = Tensor.of(va, 3, n / 3, 1);
        double[] bias = data(1, false);
        double[] got = big.add(Tensor.of(bias, 1, 1, 1)).toDoubleArray();
        assertEquals(va[n - 1] + bias[0], got[n - 1]);
    }

}

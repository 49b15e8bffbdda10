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
 * ELU on each backend, through F.elu and nn.ELU: values against the textbook formula in float64,
 * PyTorch's gradient (alpha * e^x at and below 0, from the input), gradcheck, edge values, and the
 * module fused after a Linear. (ActivationTest covers the kind's kernels, with their CPU parity.)
 */
class ELUTest {
    private static double elu(double x, double alpha) {
        return x > 0 ? x : alpha * (Math.exp(x) - 1);
    }

    private static double[] data(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 8 * r.nextDouble() - 5;
        return v;
    }

    @OnEachBackend
    void valuesAndGradientsMatchTheFormula(BackendUnderTest on) {
        Random r = new Random(3);
        double[] v = data(r, 3 * 37), g = data(r, 3 * 37);
        v[4] = 0;
        for (double alpha : new double[] {1.0, 0.5, 2.5}) {
            for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                Tensor x = Tensor.of(v, 3, 37).to(dtype).requiresGrad(true);
                Tensor y = alpha == 1.0 ? new ELU().forward(x) : F.elu(x, alpha);
                y.backward(Tensor.of(g, 3, 37).to(dtype));
                double[] xs = x.toDoubleArray(), gs = Tensor.of(g, 3, 37).to(dtype).toDoubleArray();
                double[] ys = y.toDoubleArray(), gx = x.grad().toDoubleArray();
                double tol = dtype == DType.FLOAT64 ? 1e-14 : 1e-6;
                for (int i = 0; i < v.length; i++) {
                    String what = "elu alpha=" + alpha + " " + dtype + " at x=" + xs[i];
                    assertEquals(elu(xs[i], alpha), ys[i], tol * Math.max(1, alpha), what);
                    double slope = xs[i] > 0 ? 1 : alpha * Math.exp(xs[i]);
                    assertEquals(gs[i] * slope, gx[i], tol * Math.max(1, alpha) * Math.abs(gs[i]), what + " (grad)");
                }
                assertEquals(dtype, y.dtype());
            }
        }
    }

    /** PyTorch: elu(0) = 0 with gradient alpha; -inf goes to -alpha; NaN stays NaN. */
    @OnEachBackend
    void edgeValues(BackendUnderTest on) {
        double inf = Double.POSITIVE_INFINITY;
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = Tensor.of(new double[] {0, -inf, inf, Double.NaN, -100}, 5).to(dtype).requiresGrad(true);
            Tensor y = F.elu(x, 0.5);
            y.sum().backward();
            double[] want = {0, -0.5, inf, Double.NaN, -0.5};
            assertArrayEquals(want, y.toDoubleArray(), 1e-30, dtype.toString());
            assertEquals(0.5, x.grad().toDoubleArray()[0], "gradient at 0 " + dtype);
            assertEquals(0.0, x.grad().toDoubleArray()[1], "gradient at -inf " + dtype);
        }
    }

    @OnEachBackend
    void gradcheck(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[] {-1.7, -0.6, -0.15, 0.2, 0.7, 1.3, 2.1, -2.9}, 2, 4).requiresGrad(true);
        GradCheck.check(in -> F.elu(in[0]), x);
        GradCheck.check(in -> F.elu(in[0].t(), 0.3), x);
        GradCheck.check(in -> new ELU(1.7).forward(in[0]), x);
    }

    /** After a Linear, Sequential runs bias + ELU as one fused step; the values are those of the layers apart. */
    @OnEachBackend
    void fusedAfterLinearMatchesTheLayersApart(BackendUnderTest on) {
        Linear linear = new Linear(6, 5, true, DType.FLOAT64);
        ELU elu = new ELU(0.7);
        Tensor x = Tensor.of(data(new Random(5), 24), 4, 6);
        Tensor fused = new Sequential(linear, elu).forward(x), apart = elu.forward(linear.forward(x));
        assertArrayEquals(apart.toDoubleArray(), fused.toDoubleArray(), 1e-15);
        assertTrue(fused.toDoubleArray()[0] != 0 || fused.toDoubleArray()[1] != 0);
    }

    @OnEachBackend
    void alphaMustBeFinite(BackendUnderTest on) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ELU(Double.NaN));
        assertTrue(e.getMessage().contains("ELU") && e.getMessage().contains("alpha"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.elu(Tensor.zeros(2), Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().startsWith("elu:") && e.getMessage().contains("alpha"), e.getMessage());
        assertEquals("ELU(alpha=1.0)", new ELU().toString());
    }
}

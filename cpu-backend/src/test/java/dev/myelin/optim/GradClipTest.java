package dev.myelin.optim;

import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Reference values: torch.nn.utils.clip_grad_norm_ / clip_grad_value_ (PyTorch 1.13, float64) on the same gradients.
 */
class GradClipTest {
    private static List<Tensor> params(double[] gx, double gy) {
        Tensor x = Tensor.zeros(dev.myelin.DType.FLOAT64, 2).requiresGrad(true);
        Tensor y = Tensor.zeros(dev.myelin.DType.FLOAT64, 1, 1).requiresGrad(true);
        x.setGrad(Tensor.of(gx, 2));
        y.setGrad(Tensor.of(new double[] {gy}, 1, 1));
        return List.of(x, y, Tensor.zeros(dev.myelin.DType.FLOAT64, 3).requiresGrad(true));
    }

    @Test
    void twoNormScalesAllGradientsTogether() {
        List<Tensor> p = params(new double[] {3, 4}, 12);
        assertEquals(13.0, GradClip.clipGradNorm(p, 6.5), 1e-12);
        assertArrayEquals(new double[] {1.4999998846153937, 1.9999998461538582},
                p.get(0).grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {5.999999538461575}, p.get(1).grad().toDoubleArray(), 1e-15);
    }

    @Test
    void infinityNormAndNoClipBelowTheLimit() {
        List<Tensor> p = params(new double[] {3, -4}, 12);
        assertEquals(12.0, GradClip.clipGradNorm(p, 6, Double.POSITIVE_INFINITY), 0);
        assertArrayEquals(new double[] {1.4999998750000105, -1.9999998333333475},
                p.get(0).grad().toDoubleArray(), 1e-15);
        List<Tensor> q = params(new double[] {3, -4}, 12);
        assertEquals(19.0, GradClip.clipGradNorm(q, 100, 1), 1e-12);
        assertArrayEquals(new double[] {3, -4}, q.get(0).grad().toDoubleArray(), 0);
    }

    @Test
    void clipByValue() {
        List<Tensor> p = params(new double[] {3, -4}, 0.5);
        GradClip.clipGradValue(p, 1);
        assertArrayEquals(new double[] {1, -1}, p.get(0).grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {0.5}, p.get(1).grad().toDoubleArray(), 0);
    }

    @Test
    void badArguments() {
        List<Tensor> p = params(new double[] {3, 4}, 12);
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(p, -1));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(p, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradValue(p, Double.NaN));
    }
}

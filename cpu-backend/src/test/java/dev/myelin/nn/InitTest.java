package dev.myelin.nn;

import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Initializers: PyTorch's bounds and standard deviations (statistical checks on large tensors). */
class InitTest {
    private static double maxAbs(Tensor t) {
        return Arrays.stream(t.toDoubleArray()).map(Math::abs).max().orElseThrow();
    }

    private static double std(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
    }

    @Test
    void defaultLayerInitIsUniformWithinOneOverSqrtFanIn() {
        Linear l = new Linear(400, 300);
        double bound = 1 / Math.sqrt(400);
        assertTrue(maxAbs(l.weight) <= bound && maxAbs(l.weight) > 0.98 * bound);
        assertEquals(bound / Math.sqrt(3), std(l.weight), 0.02 * bound);
        assertTrue(maxAbs(l.bias) <= bound);
        Conv2d c = new Conv2d(16, 32, 3);
        double cb = 1 / Math.sqrt(16 * 9);
        assertTrue(maxAbs(c.weight) <= cb && maxAbs(c.weight) > 0.98 * cb);
    }

    @Test
    void xavierAndKaiming() {
        Tensor w = Tensor.zeros(300, 500);
        Init.xavierUniform(w, 1);
        double a = Math.sqrt(6.0 / 800);
        assertTrue(maxAbs(w) <= a && maxAbs(w) > 0.98 * a);
        Init.xavierNormal(w, 2);
        assertEquals(2 * Math.sqrt(2.0 / 800), std(w), 0.02 * 2 * Math.sqrt(2.0 / 800));
        Init.kaimingNormal(w, 0, Init.FanMode.FAN_IN, "relu");
        assertEquals(Math.sqrt(2.0 / 500), std(w), 0.02 * Math.sqrt(2.0 / 500));
        Init.kaimingUniform(w, 0, Init.FanMode.FAN_OUT, "relu");
        assertTrue(maxAbs(w) <= Math.sqrt(6.0 / 300));
        assertEquals(5.0 / 3, Init.calculateGain("tanh", 0));
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu", 0.01));
    }

    @Test
    void fansNeedTwoDimensions() {
        var e = assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform(Tensor.zeros(5), 1));
        assertTrue(e.getMessage().startsWith("xavier_uniform_:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish", 0));
    }
}

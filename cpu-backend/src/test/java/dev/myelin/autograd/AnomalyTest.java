package dev.myelin.autograd;

import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anomaly detection (torch.autograd.detect_anomaly): the first op to make a NaN or an infinity is named. */
class AnomalyTest {
    private static Tensor leaf(double... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    @Test
    void isOffByDefaultAndThenNothingIsChecked() {
        assertFalse(Anomaly.isEnabled());
        Tensor x = leaf(-1, 0, 4);
        Tensor y = x.log();
        assertTrue(Double.isNaN(y.toDoubleArray()[0]));
        x.sqrt().sum().backward();
        assertEquals(Double.POSITIVE_INFINITY, x.grad().toDoubleArray()[1]);
    }

    @Test
    void aForwardNaNNamesTheFirstOpThatMadeItAndItsShape() {
        Tensor x = leaf(1, -2, 3, 4).reshape(2, 2);
        try (var a = Anomaly.detect()) {
            Tensor scaled = x.mul(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> scaled.log().exp());
            String m = e.getMessage();
            assertTrue(m.startsWith("Anomaly: log produced 1 NaN and 0 infinite values"), m);
            assertTrue(m.contains("shape [2, 2]"), m);
        }
    }

    @Test
    void zeroTimesInfinityFromALeafNamesTheOpAndTheInputThatHeldTheInfinity() {
        Tensor zeros = leaf(0, 0);
        Tensor inf = Tensor.full(Double.POSITIVE_INFINITY, 2);
        try (var a = Anomaly.detect()) {
            String m = assertThrows(IllegalStateException.class, () -> zeros.mul(inf)).getMessage();
            assertTrue(m.startsWith("Anomaly: mul produced 2 NaN"), m);
            assertTrue(m.contains("input 1 of shape [2] already held 0 NaN and 2 infinite values"), m);
        }
    }

    @Test
    void aNonFiniteGradientNamesTheOpWhoseBackwardMadeIt() {
        Tensor x = leaf(0, 4);
        try (var a = Anomaly.detect()) {
            Tensor loss = x.sqrt().mul(3).sum();
            IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
            String m = e.getMessage();
            assertTrue(m.startsWith("Anomaly: the backward of sqrt"), m);
            assertTrue(m.contains("1 infinite values in the gradient for its input 0 of shape [2]"), m);
            // The cause carries the stack trace of the forward call, this test method among its frames.
            assertNotNull(e.getCause());
            boolean here = false;
            for (StackTraceElement f : e.getCause().getStackTrace()) {
                here |= f.getMethodName().equals("aNonFiniteGradientNamesTheOpWhoseBackwardMadeIt");
            }
            assertTrue(here);
        }
    }

    @Test
    void opsRunUnderNoGradAreNotChecked() {
        try (var a = Anomaly.detect(); var g = GradMode.noGrad()) {
            assertTrue(Double.isNaN(Tensor.scalar(-1).log().item()));
        }
    }

    @Test
    void guardsNestAndRestoreThePreviousMode() {
        try (var outer = Anomaly.detect()) {
            try (var inner = Anomaly.detect()) {
                assertTrue(Anomaly.isEnabled());
            }
            assertTrue(Anomaly.isEnabled());
        }
        assertFalse(Anomaly.isEnabled());
    }
}

package dev.myelin.cpu;

import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.backend.Losses.Pointwise;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float-lane BCE against the general double loop on the same float32 tensors. */
class LossBceF32Test {
    @Test
    void valuesAndGradientsMatchTheDoubleLoop() {
        Myelin.manualSeed(12);
        int n = 50003;  // split over threads and blocks, with a masked end
        Tensor x = Tensor.rand(n), t = Tensor.rand(n), g = Tensor.randn(n);
        float[] xs = CpuStorage.f32(x), ts = CpuStorage.f32(t);
        // The clamps at -100, log1p for small x, x near 1, hard targets, NaN.
        float[] edges = {0f, 1f, 1e-8f, 1e-30f, 3e-5f, 0.9999999f, 0.5f, 1e-45f, Float.NaN};
        for (int i = 0; i < edges.length; i++) {
            xs[10 * i] = edges[i];
            ts[10 * i] = 0f;
            xs[10 * i + 1] = edges[i];
            ts[10 * i + 1] = 1f;
        }
        Tensor fast = Tensor.zeros(n), general = Tensor.zeros(n);
        assertTrue(LossBceF32.applies(Pointwise.BCE, x, t, fast));
        LossBceF32.forward(x, t, fast);
        LossPointwise.forward(Pointwise.BCE, 0, x, t, null, general);
        assertClose("bce", general, fast, 4);
        LossBceF32.backward(x, t, g, fast);
        LossPointwise.backward(Pointwise.BCE, 0, x, t, null, g, general);
        assertClose("bce backward", general, fast, 4);
    }

    private static void assertClose(String what, Tensor expected, Tensor actual, long maxUlps) {
        float[] e = CpuStorage.f32(expected), a = CpuStorage.f32(actual);
        for (int i = 0; i < e.length; i++) {
            boolean same = Float.isNaN(e[i]) ? Float.isNaN(a[i])
                    : Math.abs(e[i] - a[i]) <= maxUlps * Math.ulp(e[i]) || e[i] == a[i];
            assertTrue(same, what + " at " + i + ": " + a[i] + " vs " + e[i]);
        }
    }

    @Test
    void otherCasesTakeTheGeneralLoop() {
        Tensor x = Tensor.rand(4, 6), out = Tensor.zeros(4, 6);
        assertFalse(LossBceF32.applies(Pointwise.BCE_WITH_LOGITS, x, x, out));
        assertFalse(LossBceF32.applies(Pointwise.BCE, x.t(), x.t(), out));
        assertFalse(LossBceF32.applies(Pointwise.BCE, x.to(dev.myelin.DType.FLOAT64), x, out));
        assertFalse(LossBceF32.applies(Pointwise.BCE, x, Tensor.rand(5), out));
    }
}

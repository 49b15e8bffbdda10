package dev.myelin.cpu;

import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.backend.Losses.Pointwise;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The float-lane MSE and L1 against the general double loop on the same float32 tensors. */
class LossDifferenceF32Test {
    private static long ulps(float a, float b) {
        if (Float.isNaN(a) && Float.isNaN(b) || Float.floatToIntBits(a) == Float.floatToIntBits(b)) return 0;
        if ((Float.floatToIntBits(a) < 0) != (Float.floatToIntBits(b) < 0)) return Long.MAX_VALUE;
        return Math.abs((long) Float.floatToIntBits(a) - Float.floatToIntBits(b));
    }

    @Test
    void mseAndL1MatchTheDoubleLoopWithinAnUlp() {
        Myelin.manualSeed(11);
        // 70001 elements: split over threads, with a masked end; equal values (d = +-0), a NaN and infinities.
        Tensor x = Tensor.randn(70001), t = Tensor.randn(70001), g = Tensor.randn(70001);
        float[] xs = CpuStorage.f32(x), ts = CpuStorage.f32(t);
        xs[5] = ts[5];
        xs[6] = -0f;
        ts[6] = 0f;
        xs[7] = Float.NaN;
        xs[8] = Float.POSITIVE_INFINITY;
        ts[9] = Float.NEGATIVE_INFINITY;
        for (Pointwise kind : new Pointwise[] {Pointwise.MSE, Pointwise.L1}) {
            Tensor fast = Tensor.zeros(70001), general = Tensor.zeros(70001);
            assertTrue(LossDifferenceF32.applies(kind, null, x, t, fast));
            LossDifferenceF32.forward(kind, x, t, fast);
            LossPointwise.forward(kind, 0, x, t, null, general);
            assertClose(kind + " forward", general, fast, 1);
            LossDifferenceF32.backward(kind, x, t, g, fast);
            LossPointwise.backward(kind, 0, x, t, null, g, general);
            // L1's gradient is g * sign: exact.
            assertClose(kind + " backward", general, fast, kind == Pointwise.MSE ? 1 : 0);
        }
    }

    private static void assertClose(String what, Tensor expected, Tensor actual, long maxUlps) {
        float[] e = CpuStorage.f32(expected), a = CpuStorage.f32(actual);
        for (int i = 0; i < e.length; i++) {
            long u = ulps(e[i], a[i]);
            assertTrue(u <= maxUlps, what + " at " + i + ": " + a[i] + " vs " + e[i]);
        }
    }

    @Test
    void otherLossesStridesDtypesAndSizesTakeTheGeneralLoop() {
        Tensor x = Tensor.randn(4, 6), t = Tensor.randn(4, 6), out = Tensor.zeros(4, 6);
        assertFalse(LossDifferenceF32.applies(Pointwise.SMOOTH_L1, null, x, t, out));
        assertFalse(LossDifferenceF32.applies(Pointwise.MSE, Tensor.ones(4, 6), x, t, out));
        assertFalse(LossDifferenceF32.applies(Pointwise.MSE, null, x.t(), t.t(), out));
        assertFalse(LossDifferenceF32.applies(Pointwise.L1, null, x.to(dev.myelin.DType.FLOAT64), t, out));
        assertFalse(LossDifferenceF32.applies(Pointwise.L1, null, x, Tensor.randn(5), out));
        assertEquals(24, out.numel());
    }
}

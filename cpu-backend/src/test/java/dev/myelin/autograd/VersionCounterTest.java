package dev.myelin.autograd;

import dev.myelin.Tensor;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Linear;
import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Version counters (PyTorch's {@code tensor._version}): a backward that would read a saved tensor
 * modified in place since its forward fails instead of computing a wrong gradient.
 */
class VersionCounterTest {
    private static Tensor leaf(double... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    private static IllegalStateException assertInplaceError(Runnable backward) {
        IllegalStateException e = assertThrows(IllegalStateException.class, backward::run);
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
        return e;
    }

    @Test
    void aSavedLeafFilledUnderNoGradFailsBackward() {
        // Without the check the gradient is 2 * 100, from the new values, instead of 2 * w = [2, 4, 6].
        Tensor w = leaf(1, 2, 3);
        Tensor y = w.mul(w).sum();
        try (var g = GradMode.noGrad()) {
            w.fill(100);
        }
        IllegalStateException e = assertInplaceError(y::backward);
        String m = e.getMessage();
        assertTrue(m.contains("mul"), m);
        assertTrue(m.contains("[3]"), m);
        assertTrue(m.contains("is at version 1; expected version 0"), m);
    }

    @Test
    void aSavedInputZeroedBeforeBackwardFails() {
        // Without the check w.grad is x's new value [0, 0, 0] instead of [10, 20, 30].
        Tensor w = leaf(1, 2, 3);
        Tensor x = Tensor.of(new double[] {10, 20, 30}, 3);
        Tensor y = w.mul(x).sum();
        x.zero();
        assertInplaceError(y::backward);
    }

    @Test
    void aReluOutputEditedUnderNoGradFailsBackward() {
        Tensor x = leaf(-1, 2, 3);
        Tensor h = x.relu();
        Tensor y = h.sum();
        try (var g = GradMode.noGrad()) {
            h.fill(-5);
        }
        String m = assertInplaceError(y::backward).getMessage();
        assertTrue(m.contains("relu"), m);
    }

    @Test
    void anOptimizerStepBetweenForwardAndBackwardFails() {
        // GAN-style: the generator's loss goes through the discriminator's weights, which the
        // discriminator's step changes before the generator's backward.
        Tensor d = leaf(0.5, -1, 2);
        Tensor fake = leaf(1, 2, 3);
        Tensor lossG = d.mul(fake).sum();
        try (SGD optD = SGD.with().lr(0.1).build(List.of(d))) {
            d.mul(fake.detach()).sum().backward();
            optD.step();
        }
        String m = assertInplaceError(lossG::backward).getMessage();
        assertTrue(m.contains("mul"), m);
    }

    @Test
    void writingThroughAViewIsSeenByTheTensorItViews() {
        Tensor w = leaf(1, 2, 3);
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 4);
        Tensor y = w.mul(x.slice(0, 1, 4)).sum();
        try (var g = GradMode.noGrad()) {
            x.reshape(2, 2).select(0, 1).fill(7);
        }
        assertInplaceError(y::backward);
    }

    @Test
    void writingToATensorThatIsNotSavedStaysLegal() {
        Tensor w = leaf(1, 2, 3);
        Tensor x = Tensor.of(new double[] {10, 20, 30}, 3);
        Tensor y = w.add(x).mul(2).sum();
        x.fill(-1);
        try (var g = GradMode.noGrad()) {
            w.fill(5);
        }
        y.backward();
        assertArrayEquals(new double[] {2, 2, 2}, w.grad().toDoubleArray());
    }

    @Test
    void batchNormRunningStatisticsUpdatedInForwardStayLegal() {
        // Each training forward updates the running statistics in place; they are not saved.
        try (var bn = new BatchNorm1d(2)) {
            Tensor x = Tensor.of(new float[] {1, 2, 3, 5, 4, 0}, 3, 2).requiresGrad(true);
            Tensor first = bn.forward(x).mul(x).sum();
            Tensor second = bn.forward(x.mul(2)).sum();
            first.backward();
            second.backward();
            assertTrue(x.grad() != null);
        }
    }

    @Test
    void aSecondBackwardOfARetainedGraphAfterAWriteFails() {
        Tensor w = leaf(1, 2, 3);
        Tensor y = w.mul(w).sum();
        y.backward(Tensor.onesLike(y), true);
        assertArrayEquals(new double[] {2, 4, 6}, w.grad().toDoubleArray());
        try (var g = GradMode.noGrad()) {
            w.fill(100);
        }
        assertInplaceError(y::backward);
    }

    @Test
    void loadingAStateDictIntoAModuleUsedByAPendingGraphFails() {
        try (var a = new Linear(3, 2); var b = new Linear(3, 2)) {
            Tensor x = Tensor.randn(4, 3).requiresGrad(true);
            Tensor y = a.forward(x).sum();
            a.loadStateDict(Map.copyOf(b.stateDict()));
            assertInplaceError(y::backward);
        }
    }

    @Test
    void inPlaceWritesCountOnTheStorageThatViewsShare() {
        Tensor t = Tensor.zeros(2, 3);
        Tensor view = t.slice(1, 0, 2);
        Tensor detached = t.detach();
        assertEquals(0, t.version());
        view.fill(1);
        assertEquals(1, t.version());
        assertEquals(1, detached.version());
        t.copyFrom(Tensor.ones(2, 3));
        t.zero();
        assertEquals(3, view.version());
        assertEquals(0, t.add(1).version(), "an out-of-place result has a storage of its own");
        assertEquals(0, t.reshape(3, 2).contiguous().mul(1).version());
    }

    @Test
    void optimizerStepsCountOnParametersAndTheirState() {
        Tensor w = leaf(1, 2);
        try (SGD opt = SGD.with().lr(0.1).momentum(0.9).build(List.of(w))) {
            w.setGrad(Tensor.of(new double[] {1, 1}, 2));
            opt.step();
            opt.step();
            assertEquals(2, w.version());
            assertEquals(2, opt.state(w).buffer("momentum_buffer").version());
        }
    }

    @Test
    void theMessageGivesTheVersionFoundAndTheVersionSaved() {
        Tensor x = leaf(1, 2, 3, 4).reshape(2, 2);
        Tensor y = x.exp();
        Tensor loss = y.sum();
        try (var g = GradMode.noGrad()) {
            y.fill(0);
            y.fill(1);
        }
        String m = assertInplaceError(loss::backward).getMessage();
        assertTrue(m.startsWith("backward(exp): one of the variables needed for gradient computation has been "
                + "modified by an inplace operation"), m);
        assertTrue(m.contains("tensor of shape [2, 2] that exp saved"), m);
        assertTrue(m.contains("is at version 2; expected version 0 instead"), m);
    }

    @Test
    void anOpSavingMoreThanFourTensorsIsRefused() {
        Tensor x = leaf(1);
        Tensor[] five = {x, x, x, x, x};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.record("custom", x.mul(1), new Tensor[] {x}, five, g -> new Tensor[] {g}));
        assertTrue(e.getMessage().contains("record(custom): 5 saved tensors, at most 4"), e.getMessage());
    }
}

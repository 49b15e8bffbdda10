package dev.myelin.autograd;

import dev.myelin.DType;
import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The autograd engine's semantics: accumulation, broadcasting, retain-graph, no-grad, scopes. */
class AutogradTest {
    private static Tensor leaf(double[] v, int... shape) {
        return Tensor.of(v, shape).requiresGrad(true);
    }

    @Test
    void broadcastingGradientsSumBackToInputShapes() {
        Tensor a = leaf(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = leaf(new double[] {10, 20, 30}, 3);
        a.mul(b).sum().backward();
        assertArrayEquals(new double[] {10, 20, 30, 10, 20, 30}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {5, 7, 9}, b.grad().toDoubleArray());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(new double[] {2}, 1);
        x.mul(3).sum().backward();
        x.mul(3).sum().backward();
        assertEquals(6, x.grad().item());
        x.setGrad(null);
        assertNull(x.grad());
    }

    @Test
    void secondBackwardWithoutRetainGraphFails() {
        Tensor x = leaf(new double[] {1, 2}, 2);
        Tensor y = x.exp().sum();
        y.backward(Tensor.onesLike(y), true);
        y.backward();
        assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().toDoubleArray(), 1e-12);
        Tensor z = x.exp().sum();
        z.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void noGradAndDetachStopRecording() {
        Tensor x = leaf(new double[] {1, 2}, 2);
        try (var g = GradMode.noGrad()) {
            assertFalse(x.mul(2).requiresGrad());
        }
        assertFalse(x.detach().requiresGrad());
        assertTrue(x.mul(2).requiresGrad());
    }

    @Test
    void nonScalarBackwardNeedsAGradient() {
        Tensor x = leaf(new double[] {1, 2}, 2);
        assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward());
    }

    @Test
    void scopeFreesTemporariesButKeepsParametersGradsAndKeptResults() {
        Tensor w = leaf(new double[] {1, 2, 3}, 3);
        Tensor kept;
        Tensor temp;
        try (var scope = MemoryScope.open()) {
            temp = w.mul(2);
            Tensor loss = temp.sum();
            loss.backward();
            kept = scope.keep(loss.detach());
        }
        assertTrue(temp.isClosed());
        assertThrows(IllegalStateException.class, temp::toDoubleArray);
        assertEquals(12, kept.item());
        assertArrayEquals(new double[] {2, 2, 2}, w.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3}, w.toDoubleArray());
    }

    @Test
    void gradcheckComposedElementwiseAndMatmul() {
        Tensor a = Tensor.of(new double[] {0.5, -1.2, 2.0, 0.3, 1.1, -0.7}, 2, 3).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {1.5, 0.2, -0.4, 0.9, 0.8, -1.1}, 3, 2).requiresGrad(true);
        GradCheck.check(in -> in[0].matmul(in[1]).exp().div(in[0].square().sum().add(1)), a, b);
        assertEquals(DType.FLOAT64, a.grad().dtype());
    }
}

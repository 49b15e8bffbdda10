package dev.myelin.autograd;

import dev.myelin.RemovableHandle;
import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Post-accumulate-grad hooks and callbacks queued for the end of backward: what DistributedDataParallel uses. */
class GradHooksTest {
    private static Tensor leaf(double... v) {
        return Tensor.of(v, v.length).requiresGrad(true);
    }

    @Test
    void aLeafUsedTwiceIsAccumulatedOnceWithTheSumOfItsGradients() {
        Tensor w = leaf(1, 2);
        List<double[]> seen = new ArrayList<>();
        w.registerPostAccumulateGradHook(t -> seen.add(t.grad().toDoubleArray()));
        w.mul(3).add(w.mul(w)).sum().backward(); // d/dw = 3 + 2w
        assertEquals(1, seen.size());
        assertArrayEquals(new double[] {5, 7}, seen.get(0));
        assertArrayEquals(new double[] {5, 7}, w.grad().toDoubleArray());
    }

    @Test
    void hooksRunInTheOrderLeavesFinishAndSeeTheAccumulatedGradient() {
        Tensor a = leaf(1);
        Tensor b = leaf(2);
        List<String> order = new ArrayList<>();
        a.registerPostAccumulateGradHook(t -> order.add("a=" + t.grad().item()));
        b.registerPostAccumulateGradHook(t -> order.add("b=" + t.grad().item()));
        // b is used by the last op of the forward, so its gradient is complete first.
        a.mul(4).exp().log().mul(b).sum().backward();
        assertEquals(List.of("b=4.0", "a=8.0"), order);
        a.mul(1).sum().backward(); // accumulates onto the 8 already there
        assertEquals("a=9.0", order.get(2));
    }

    @Test
    void aRemovedHookNoLongerRuns() {
        Tensor x = leaf(1);
        int[] calls = {0};
        RemovableHandle handle = x.registerPostAccumulateGradHook(t -> calls[0]++);
        x.mul(2).sum().backward();
        handle.remove();
        handle.remove();
        x.mul(2).sum().backward();
        assertEquals(1, calls[0]);
    }

    @Test
    void aLeafWhoseOnlyPathCarriesNoGradientIsNotAccumulated() {
        Tensor x = leaf(1, 2);
        Tensor y = leaf(3, 4);
        int[] calls = {0};
        x.registerPostAccumulateGradHook(t -> calls[0]++);
        // where() gives no gradient to its condition; x reaches the loss only through a comparison.
        Tensor.where(x.gt(1.5), y, y.mul(2)).sum().backward();
        assertEquals(0, calls[0]);
        assertNull(x.grad());
        assertArrayEquals(new double[] {2, 1}, y.grad().toDoubleArray());
    }

    @Test
    void queuedCallbacksRunAfterTheWholeGraphInOrder() {
        Tensor a = leaf(1);
        Tensor b = leaf(2);
        List<String> events = new ArrayList<>();
        b.registerPostAccumulateGradHook(t -> {
            events.add("hook b");
            Autograd.queueCallback(() -> events.add("first callback, a.grad=" + a.grad().item()));
            Autograd.queueCallback(() -> events.add("second callback"));
        });
        a.registerPostAccumulateGradHook(t -> events.add("hook a"));
        a.mul(b).exp().sum().backward(); // both leaves finish at the mul, in its input order
        assertEquals(List.of("hook a", "hook b", "first callback, a.grad=" + a.grad().item(), "second callback"),
                events);
    }

    @Test
    void aRootThatIsALeafRunsItsHooksAndCallbacks() {
        Tensor x = leaf(5);
        List<String> events = new ArrayList<>();
        x.registerPostAccumulateGradHook(t -> Autograd.queueCallback(() -> events.add("done " + t.grad().item())));
        x.backward(Tensor.of(new double[] {2}, 1));
        assertEquals(List.of("done 2.0"), events);
    }

    @Test
    void queueCallbackOutsideBackwardAndHooksOnNonLeavesAreRefused() {
        var outside = assertThrows(IllegalStateException.class, () -> Autograd.queueCallback(() -> {}));
        assertTrue(outside.getMessage().contains("no backward pass"), outside.getMessage());
        Tensor x = leaf(1);
        var nonLeaf = assertThrows(IllegalStateException.class,
                () -> x.mul(2).registerPostAccumulateGradHook(t -> {}));
        assertTrue(nonLeaf.getMessage().contains("only leaf tensors"), nonLeaf.getMessage());
        var noGrad = assertThrows(IllegalStateException.class,
                () -> Tensor.of(new double[] {1}, 1).registerPostAccumulateGradHook(t -> {}));
        assertTrue(noGrad.getMessage().contains("does not require grad"), noGrad.getMessage());
    }
}

package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Views share storage; every view op passes gradients back to the right elements. */
class ViewOpsTest {
    private static Tensor x() {
        double[] v = new double[24];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.5 - 3;
        return Tensor.of(v, 2, 3, 4);
    }

    @Test
    void viewsShareStorageAndCopiesDoNot() {
        Tensor x = x();
        Tensor v = x.reshape(6, 4);
        assertSame(x.storage(), v.storage());
        assertSame(x.storage(), x.transpose(0, 2).storage());
        assertSame(x.storage(), x.slice(1, 1, 3).storage());
        assertNotSame(x.storage(), x.copy().storage());
        assertFalse(x.transpose(1, 2).isContiguous());
        assertNotSame(x.storage(), x.transpose(1, 2).reshape(-1).storage());
    }

    @Test
    void viewValues() {
        Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, m.t().contiguous().toDoubleArray());
        assertArrayEquals(new double[] {2, 3, 5, 6}, m.slice(1, 1, 3).toDoubleArray());
        assertArrayEquals(new double[] {4, 5, 6}, m.select(0, -1).toDoubleArray());
        assertArrayEquals(new int[] {2, 1, 3}, m.unsqueeze(1).shape());
        assertArrayEquals(new int[] {2, 3}, m.unsqueeze(1).squeeze(1).shape());
        assertArrayEquals(new int[] {3, 2, 3}, m.expand(3, 2, 3).shape());
        assertArrayEquals(new int[] {3, 2}, m.permute(1, 0).shape());
        assertArrayEquals(new int[] {2, 12}, x().flatten(1, 2).shape());
        assertArrayEquals(new int[] {24}, x().flatten().shape());
    }

    @Test
    void gradientsFlowThroughEveryView() {
        GradCheck.check(in -> in[0].reshape(4, 6).mul(in[0].view(4, 6)), x().requiresGrad(true));
        GradCheck.check(in -> in[0].transpose(0, 2).exp(), x().requiresGrad(true));
        GradCheck.check(in -> in[0].permute(2, 0, 1).contiguous().square(), x().requiresGrad(true));
        GradCheck.check(in -> in[0].slice(2, 1, 3).exp(), x().requiresGrad(true));
        GradCheck.check(in -> in[0].select(1, 2).square(), x().requiresGrad(true));
        GradCheck.check(in -> in[0].unsqueeze(0).expand(3, 2, 3, 4).mul(in[0]), x().requiresGrad(true));
        GradCheck.check(in -> in[0].flatten(0, 1).squeeze(0).sin(), x().requiresGrad(true));
    }

    @Test
    void catAndStack() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2), b = Tensor.of(new double[] {5, 6}, 2, 1);
        Tensor c = Tensor.cat(List.of(a, b), 1);
        assertArrayEquals(new double[] {1, 2, 5, 3, 4, 6}, c.toDoubleArray());
        Tensor s = Tensor.stack(List.of(a, a.mul(2)), 0);
        assertArrayEquals(new int[] {2, 2, 2}, s.shape());
        GradCheck.check(in -> Tensor.cat(List.of(in[0], in[1].square()), 1),
                a.copy().requiresGrad(true), b.copy().requiresGrad(true));
        GradCheck.check(in -> Tensor.stack(List.of(in[0], in[0].exp()), 1), a.copy().requiresGrad(true));
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(a, Tensor.ones(3, 1)), 1));
        assertTrue(e.getMessage().startsWith("cat:"), e.getMessage());
    }

    @Test
    void badViewsAreRejectedWithTheirShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> x().reshape(5, -1));
        assertTrue(e.getMessage().startsWith("reshape:") && e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x().transpose(0, 1).view(-1));
        assertTrue(e.getMessage().startsWith("view:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x().expand(2, 5, 4));
        assertTrue(e.getMessage().startsWith("expand:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x().permute(0, 0, 1));
        assertTrue(e.getMessage().startsWith("permute:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> x().select(1, 3));
        assertTrue(e.getMessage().startsWith("select:"), e.getMessage());
    }

    @Test
    void copyFromBroadcastsIntoAView() {
        Tensor m = Tensor.zeros(2, 3);
        m.slice(1, 1, 3).copyFrom(Tensor.of(new float[] {7, 8}, 2));
        assertArrayEquals(new float[] {0, 7, 8, 0, 7, 8}, m.toFloatArray());
    }
}

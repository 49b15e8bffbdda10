package dev.myelin;

import dev.myelin.autograd.GradCheck;
import dev.myelin.autograd.GradMode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/** Views share storage and have the right values; copies do not; gradients flow through each; errors name the op. */
class ViewOpsTest {
    /** 0, 1, ..., n - 1 as float64 with the given shape. */
    private static Tensor range(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return Tensor.arange(n, DType.FLOAT64).reshape(shape);
    }

    private static double[] values(Tensor t) {
        return t.toDoubleArray();
    }

    private static void assertMessage(String prefix, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void reshapeAndViewShareStorageWhenContiguous() {
        Tensor x = range(2, 3);
        Tensor v = x.view(3, 2);
        Tensor r = x.reshape(-1);
        assertSame(x.storage(), v.storage());
        assertSame(x.storage(), r.storage());
        assertArrayEquals(new int[] {3, 2}, v.shape());
        assertArrayEquals(new int[] {6}, r.shape());
        v.select(0, 1).fill(-1);
        assertArrayEquals(new double[] {0, 1, -1, -1, 4, 5}, values(x), "a write through the view shows in the base");
        assertArrayEquals(new double[] {0, 1, -1, -1, 4, 5}, values(r));
        assertArrayEquals(new int[] {2, 3}, x.flatten(0, 0).shape());
        assertArrayEquals(new int[] {6, 1}, range(2, 3, 1).flatten(0, 1).shape());
    }

    @Test
    void reshapeOfANonContiguousTensorCopiesAndViewRefuses() {
        Tensor x = range(2, 3);
        Tensor flat = x.t().reshape(6);
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, values(flat));
        assertNotSame(x.storage(), flat.storage());
        assertMessage("view:", () -> x.t().view(6));
        assertMessage("reshape:", () -> x.reshape(4, -1));
        assertMessage("reshape:", () -> x.reshape(-1, -1));
        assertMessage("view:", () -> x.view(7));
    }

    @Test
    void permuteAndTransposeMoveStridesNotData() {
        Tensor x = range(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertSame(x.storage(), p.storage());
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertArrayEquals(new long[] {1, 12, 4}, p.strides());
        double[] pv = values(p);
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) assertEquals(i * 12 + j * 4 + k, pv[(k * 2 + i) * 3 + j]);
            }
        }
        Tensor t = x.transpose(-1, 0);
        assertArrayEquals(new int[] {4, 3, 2}, t.shape());
        assertEquals(1 * 12 + 2 * 4 + 3, values(t)[(3 * 3 + 2) * 2 + 1]);
        assertFalse(t.isContiguous());
        assertTrue(t.contiguous().isContiguous());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, values(range(2, 3).t()));
        assertMessage("permute:", () -> x.permute(0, 1));
        assertMessage("permute:", () -> x.permute(0, 1, 1));
        assertMessage("transpose:", () -> x.transpose(0, 3));
        assertMessage("t:", () -> x.t());
    }

    @Test
    void unsqueezeAndSqueeze() {
        Tensor x = range(2, 3);
        assertArrayEquals(new int[] {1, 2, 3}, x.unsqueeze(0).shape());
        assertArrayEquals(new int[] {2, 1, 3}, x.unsqueeze(1).shape());
        assertArrayEquals(new int[] {2, 3, 1}, x.unsqueeze(-1).shape());
        assertArrayEquals(new int[] {2, 1, 3}, x.unsqueeze(-2).shape());
        assertArrayEquals(values(x), values(x.unsqueeze(2)));
        assertSame(x.storage(), x.unsqueeze(0).storage());
        assertArrayEquals(new int[] {2, 3}, x.unsqueeze(1).squeeze(1).shape());
        assertSame(x, x.squeeze(0), "squeezing a dim that is not 1 is a no-op");
        assertArrayEquals(new int[] {2}, range(2, 1).squeeze(-1).shape());
        assertArrayEquals(new int[] {}, Tensor.ones(1).squeeze(0).shape());
        assertMessage("unsqueeze:", () -> x.unsqueeze(3));
        assertMessage("squeeze:", () -> x.squeeze(2));
    }

    @Test
    void unsqueezeAndStackRejectOutOfRangeNegativeDims() {
        Tensor x = range(2, 3);
        assertMessage("unsqueeze:", () -> x.unsqueeze(-4));
        assertMessage("stack:", () -> Tensor.stack(List.of(range(2), range(2)), -3));
    }

    @Test
    void zeroDimTensorsCannotBeSelectedSlicedOrConcatenated() {
        Tensor s = Tensor.scalar(3, DType.FLOAT64);
        assertMessage("select:", () -> s.select(0, 0));
        assertMessage("slice:", () -> s.slice(0, 0, 1));
        assertMessage("cat:", () -> Tensor.cat(List.of(s, s), 0));
        assertMessage("size:", () -> s.size(0));
    }

    @Test
    void expandRejectsNegativeSizes() {
        assertMessage("expand:", () -> Tensor.zeros(1, 3).expand(-2, 3));
    }

    @Test
    void expandBroadcastsWithZeroStrides() {
        Tensor b = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor e = b.expand(2, 3);
        assertArrayEquals(new long[] {0, 1}, e.strides());
        assertSame(b.storage(), e.storage());
        assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3}, values(e));
        Tensor col = Tensor.of(new double[] {1, 2}, 2, 1).expand(-1, 3);
        assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2}, values(col));
        assertSame(b, b.expand(3));
        assertMessage("expand:", () -> b.expand(2, 4));
        assertMessage("expand:", () -> b.expand(-1, 3));
        assertMessage("expand:", () -> range(2, 3).expand(3));
    }

    @Test
    void sliceAndSelect() {
        Tensor x = range(4, 5);
        Tensor s = x.slice(1, 1, 4);
        assertSame(x.storage(), s.storage());
        assertArrayEquals(new int[] {4, 3}, s.shape());
        assertArrayEquals(new double[] {1, 2, 3, 6, 7, 8, 11, 12, 13, 16, 17, 18}, values(s));
        assertArrayEquals(new double[] {15, 16, 17, 18, 19}, values(x.slice(0, -1, 4)));
        assertArrayEquals(new double[] {3, 4, 8, 9}, values(x.slice(0, 0, 2).slice(1, -2, 100)));
        assertArrayEquals(new int[] {0, 5}, x.slice(0, 3, 1).shape(), "start after end: empty");
        assertArrayEquals(new double[] {2, 7, 12, 17}, values(x.select(1, 2)));
        assertArrayEquals(new double[] {15, 16, 17, 18, 19}, values(x.select(0, -1)));
        assertEquals(13, x.select(0, 2).select(0, 3).item());
        s.select(0, 0).fill(100);
        assertArrayEquals(new double[] {0, 100, 100, 100, 4}, values(x.select(0, 0)));
        assertMessage("select:", () -> x.select(0, 4));
        assertMessage("select:", () -> x.select(1, -6));
        assertMessage("slice:", () -> x.slice(2, 0, 1));
    }

    @Test
    void catAndStack() {
        Tensor a = range(2, 3), b = range(1, 3).add(10), c = range(2, 2).add(20);
        Tensor rows = Tensor.cat(List.of(a, b), 0);
        assertArrayEquals(new int[] {3, 3}, rows.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 10, 11, 12}, values(rows));
        Tensor cols = Tensor.cat(List.of(a, c), -1);
        assertArrayEquals(new double[] {0, 1, 2, 20, 21, 3, 4, 5, 22, 23}, values(cols));
        Tensor s0 = Tensor.stack(List.of(a, a.mul(2)), 0), s2 = Tensor.stack(List.of(a, a.mul(2)), -1);
        assertArrayEquals(new int[] {2, 2, 3}, s0.shape());
        assertArrayEquals(new int[] {2, 3, 2}, s2.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 0, 2, 4, 6, 8, 10}, values(s0));
        assertArrayEquals(new double[] {0, 0, 1, 2, 2, 4, 3, 6, 4, 8, 5, 10}, values(s2));
        // Mixed dtypes promote; a transposed input is read through its strides.
        Tensor mixed = Tensor.cat(List.of(Tensor.of(new float[] {1, 2}, 2, 1), range(2, 1)), 1);
        assertEquals(DType.FLOAT64, mixed.dtype());
        assertArrayEquals(new double[] {1, 0, 2, 1}, values(mixed));
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5, 0, 1, 2, 3, 4, 5},
                values(Tensor.cat(List.of(a.t(), a.reshape(3, 2)), 0)));
        assertMessage("cat:", () -> Tensor.cat(List.of(), 0));
        assertMessage("cat:", () -> Tensor.cat(List.of(a, range(3)), 0));
        assertMessage("cat:", () -> Tensor.cat(List.of(a, c), 0));
        assertMessage("stack:", () -> Tensor.stack(List.of(), 0));
    }

    @Test
    void copyFromBroadcastsAndCastsIntoAView() {
        Tensor dst = Tensor.zeros(DType.FLOAT32, 3, 4);
        dst.slice(1, 1, 3).copyFrom(Tensor.of(new double[] {7, 8}, 2));
        assertArrayEquals(new double[] {0, 7, 8, 0, 0, 7, 8, 0, 0, 7, 8, 0}, values(dst));
        dst.select(0, 1).copyFrom(Tensor.of(new long[] {1, 2, 3, 4}, 4));
        assertArrayEquals(new double[] {1, 2, 3, 4}, values(dst.select(0, 1)));
        Tensor param = Tensor.ones(2).requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> param.fill(0));
        try (var ng = GradMode.noGrad()) {
            param.fill(3);
        }
        assertArrayEquals(new double[] {3, 3}, values(param));
    }

    private static Tensor leaf(int... shape) {
        Tensor t = range(shape).mul(0.37).sin();
        return Tensor.of(t.toDoubleArray(), shape).requiresGrad(true);
    }

    private static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        // Weighted by exp so that a wrong permutation of the gradient cannot pass.
        GradCheck.check(in -> f.apply(in).exp(), inputs);
    }

    @Test
    void gradcheckThroughEveryViewOp() {
        Tensor x = leaf(2, 3, 4);
        check(in -> in[0].reshape(4, 6), x);
        check(in -> in[0].view(6, -1), x);
        check(in -> in[0].flatten(1, 2), x);
        check(in -> in[0].permute(1, 2, 0), x);
        check(in -> in[0].transpose(0, 2), x);
        check(in -> in[0].transpose(0, 2).reshape(-1), x);
        check(in -> in[0].unsqueeze(1), x);
        check(in -> in[0].slice(2, 1, 3).squeeze(0).unsqueeze(-1).squeeze(3), x);
        check(in -> in[0].select(1, 1).unsqueeze(0).expand(5, 2, 4), x);
        check(in -> in[0].slice(0, 1, 2).expand(3, 3, 4), x);
        check(in -> in[0].slice(2, -3, -1), x);
        check(in -> in[0].select(2, -1), x);
        check(in -> in[0].select(0, 1).t().contiguous(), x);
        check(in -> in[0].copy().mul(in[0]), x);
        Tensor y = leaf(2, 1, 4);
        check(in -> Tensor.cat(List.of(in[0], in[1], in[0].slice(1, 0, 1)), 1), x, y);
        check(in -> Tensor.stack(List.of(in[0].select(1, 0), in[1].squeeze(1)), 1), x, y);
        check(in -> Tensor.stack(List.of(in[0], in[0].mul(in[0])), -1), y);
    }
}

package dev.myelin;

import dev.myelin.backend.Backends;
import dev.myelin.ops.Creation;
import dev.myelin.random.Generator;
import dev.myelin.random.Philox;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Factories, dtypes and promotion, item, toString, freed tensors, Philox and the generator. */
class TensorTest {
    @Test
    void factoriesHaveTheirShapeDtypeAndValues() {
        Tensor z = Tensor.zeros(2, 3);
        assertArrayEquals(new int[] {2, 3}, z.shape());
        assertArrayEquals(new long[] {3, 1}, z.strides());
        assertEquals(DType.FLOAT32, z.dtype());
        assertEquals(6, z.numel());
        assertArrayEquals(new double[6], z.toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, Tensor.ones(DType.INT32, 2).toDoubleArray());
        assertEquals(DType.INT32, Tensor.ones(DType.INT32, 2).dtype());
        assertArrayEquals(new double[] {2.5, 2.5}, Tensor.full(2.5, DType.FLOAT64, 2).toDoubleArray());
        assertArrayEquals(new long[] {0, 1, 2, 3}, Tensor.arange(4, DType.INT64).toLongArray());
        assertArrayEquals(new float[] {1, 2, 3, 4}, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toFloatArray());
        assertEquals(DType.FLOAT64, Tensor.of(new double[] {1}, 1).dtype());
        assertEquals(DType.INT32, Tensor.of(new int[] {1}, 1).dtype());
        assertEquals(DType.INT64, Tensor.of(new long[] {1}, 1).dtype());
        Tensor like = Tensor.fullLike(Tensor.zeros(DType.FLOAT64, 3, 1), 4);
        assertEquals(DType.FLOAT64, like.dtype());
        assertArrayEquals(new int[] {3, 1}, like.shape());
        assertArrayEquals(new double[] {4, 4, 4}, like.toDoubleArray());
        assertArrayEquals(new double[] {1, 1}, Tensor.onesLike(Tensor.zeros(2)).toDoubleArray());
        assertArrayEquals(new int[] {0, 2}, Tensor.empty(0, 2).shape());

        Tensor s = Tensor.scalar(2.5);
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertEquals(2.5, s.item());
    }

    @Test
    void badFactoryArgumentsNameTheOp() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[] {1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().startsWith("Tensor.of:") && e.getMessage().contains("[2, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
        assertTrue(e.getMessage().contains("negative dimension") && e.getMessage().contains("[2, -1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).item());
        assertTrue(e.getMessage().startsWith("item:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new long[] {1}, 1).requiresGrad(true));
        assertTrue(e.getMessage().startsWith("requiresGrad:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2).setGrad(Tensor.zeros(3)));
        assertTrue(e.getMessage().startsWith("setGrad:"), e.getMessage());
    }

    @Test
    void dtypePromotionFollowsPyTorch() {
        DType[] all = DType.values();
        // PyTorch's table for these four types (torch.promote_types).
        DType[][] expected = {
            // FLOAT32        FLOAT64        INT32          INT64
            {DType.FLOAT32, DType.FLOAT64, DType.FLOAT32, DType.FLOAT32}, // FLOAT32
            {DType.FLOAT64, DType.FLOAT64, DType.FLOAT64, DType.FLOAT64}, // FLOAT64
            {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64},     // INT32
            {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT64},     // INT64
        };
        for (int i = 0; i < all.length; i++) {
            for (int j = 0; j < all.length; j++) {
                assertEquals(expected[i][j], DType.promote(all[i], all[j]), all[i] + " with " + all[j]);
                Tensor a = Tensor.ones(all[i], 2), b = Tensor.ones(all[j], 2);
                Tensor sum = a.add(b);
                assertEquals(expected[i][j], sum.dtype(), "add " + all[i] + " + " + all[j]);
                assertArrayEquals(new double[] {2, 2}, sum.toDoubleArray());
            }
        }
        assertTrue(DType.FLOAT32.isFloating() && !DType.INT64.isFloating());
        assertEquals(4, DType.FLOAT32.byteSize());
        assertEquals(8, DType.INT64.byteSize());
    }

    @Test
    void toDtypeCopiesOrReturnsTheSameTensor() {
        Tensor x = Tensor.of(new double[] {1.75, -2.5}, 2);
        assertSame(x, x.to(DType.FLOAT64));
        Tensor f = x.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, f.dtype());
        assertNotSame(x.storage(), f.storage());
        assertArrayEquals(new long[] {1, -2}, x.to(DType.INT64).toLongArray());
        assertArrayEquals(new double[] {1, -2}, x.to(DType.INT32).to(DType.FLOAT64).toDoubleArray());
        Tensor p = x.requiresGrad(true).to(DType.FLOAT32);
        assertTrue(p.requiresGrad());
        assertFalse(x.to(DType.INT64).requiresGrad(), "integer results are outside the graph");
    }

    @Test
    void toStringShowsShapeDtypeDataAndState() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2);
        String s = x.toString();
        assertTrue(s.contains("shape=[2]") && s.contains("FLOAT64") && s.contains("[1.0, 2.0]"), s);
        assertTrue(Tensor.of(new long[] {7}, 1).toString().contains("[7]"));
        assertFalse(Tensor.zeros(30).toString().contains("data="), "large tensors do not print their data");
        x.requiresGrad(true);
        assertTrue(x.toString().contains("requiresGrad"));
        assertTrue(x.mul(2).toString().contains("gradFn"));
        Tensor y = Tensor.zeros(2);
        y.close();
        assertTrue(y.toString().contains("freed"));
        assertTrue(y.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, y::toDoubleArray);
        assertTrue(e.getMessage().contains("freed"), e.getMessage());
    }

    @Test
    void aClosedViewLeavesTheStorageToTheOthers() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor v = x.slice(0, 1, 3);
        v.close();
        assertArrayEquals(new double[] {1, 2, 3}, x.toDoubleArray());
        x.close();
        assertThrows(IllegalStateException.class, x::toDoubleArray);
    }

    @Test
    void emptyTensorsAreContiguous() {
        assertTrue(Tensor.zeros(4, 0).isContiguous());
        assertTrue(Tensor.zeros(0, 3).isContiguous());
    }

    // ------------------------------------------------------------------ Philox and the generator

    @Test
    void philoxKnownAnswer() {
        // Random123's known-answer test for Philox4x32-10: counter 0, key 0.
        int[] out = new int[4];
        Philox.block(0, 0, out);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
    }

    @Test
    void philoxStreamLayoutAndUniforms() {
        long seed = 0x1234_5678_9abcL;
        int[] block = new int[4];
        Philox.block(seed, 5, block);
        for (int lane = 0; lane < 4; lane++) {
            assertEquals(Philox.toUniform(block[lane]), Philox.uniform(seed, 3, 8 + lane),
                    "number 8 + lane comes from counter 3 + 2");
        }
        assertEquals(0f, Philox.toUniform(0));
        assertEquals(1f - 0x1.0p-24f, Philox.toUniform(-1), "1.0 is never produced");
        assertEquals(0.5f, Philox.toUniform(0x8000_0000));
        assertEquals(0, Philox.countersFor(0));
        assertEquals(1, Philox.countersFor(4));
        assertEquals(2, Philox.countersFor(5));
        Philox.block(seed + 1, 5, block);
        assertNotEquals(Philox.toUniform(block[0]), Philox.uniform(seed, 5, 0), "the seed keys the stream");
    }

    @Test
    void generatorReservesDisjointCounterRanges() {
        Generator g = new Generator(42);
        assertEquals(0, g.reserve(10));
        assertEquals(3, g.offset(), "10 numbers use 3 counters");
        assertEquals(3, g.reserve(1));
        assertEquals(4, g.offset());
        g.setState(7, 100);
        assertEquals(7, g.seed());
        assertEquals(100, g.reserve(4));
        g.manualSeed(42);
        assertEquals(0, g.offset());
        assertEquals(Generator.DEFAULT_SEED, new Generator(Generator.DEFAULT_SEED).seed());
    }

    @Test
    void uniformAndNormalDrawFromTheGeneratorsStream() {
        Generator g = new Generator(2024);
        Tensor u = Creation.uniform(Backends.getDefault(), DType.FLOAT64, -1, 3, g, 2, 5);
        double[] uv = u.toDoubleArray();
        for (int j = 0; j < 10; j++) assertEquals(-1 + 4 * (double) Philox.uniform(2024, 0, j), uv[j], 1e-15);
        assertEquals(3, g.offset());
        // The next draw continues after the reserved counters: no number is used twice.
        Tensor u2 = Creation.uniform(Backends.getDefault(), DType.FLOAT32, 0, 1, g, 3);
        assertEquals(Philox.uniform(2024, 3, 0), u2.toFloatArray()[0]);

        Generator h = new Generator(5);
        Tensor n = Creation.normal(Backends.getDefault(), DType.FLOAT64, 0, 1, h, 20_001);
        double[] nv = n.toDoubleArray();
        double u0 = Philox.uniform(5, 0, 0), u1 = Philox.uniform(5, 0, 1);
        assertEquals(Math.sqrt(-2 * Math.log(1 - u0)) * Math.cos(2 * Math.PI * u1), nv[0], 1e-12);
        assertEquals(0, n.mean().item(), 0.03);
        assertEquals(1, n.var().item(), 0.05);

        Generator.defaultGenerator().manualSeed(11);
        double[] a = Tensor.rand(7).toDoubleArray();
        Generator.defaultGenerator().manualSeed(11);
        assertArrayEquals(a, Tensor.rand(7).toDoubleArray(), "a seed replays the stream");
        assertFalse(java.util.Arrays.equals(a, Tensor.rand(7).toDoubleArray()));
        for (double v : a) assertTrue(v >= 0 && v < 1);
    }
}

package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Device;
import dev.myelin.Tensor;
import dev.myelin.random.Generator;
import dev.myelin.random.Philox;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Factories, dtypes, host transfers and the random generator. */
class TensorTest {
    @Test
    void factoriesAndHostData() {
        assertArrayEquals(new float[] {0, 0, 0, 0}, Tensor.zeros(2, 2).toFloatArray());
        assertArrayEquals(new double[] {1, 1}, Tensor.ones(DType.FLOAT64, 2).toDoubleArray());
        assertArrayEquals(new long[] {0, 1, 2}, Tensor.arange(3, DType.INT64).toLongArray());
        assertEquals(2.5, Tensor.full(2.5, 3).mean().item(), 1e-7);
        Tensor s = Tensor.scalar(4);
        assertEquals(0, s.dim());
        assertEquals(4, s.item());
        assertEquals(Device.CPU, s.device());
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.ones(2).item());
    }

    @Test
    void dtypeConversionsAreDifferentiableBetweenFloats() {
        Tensor x = Tensor.of(new double[] {1.25, -2.5}, 2).requiresGrad(true);
        Tensor f = x.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, f.dtype());
        f.mul(2).sum().backward();
        assertEquals(DType.FLOAT64, x.grad().dtype());
        assertArrayEquals(new double[] {2, 2}, x.grad().toDoubleArray());
        assertArrayEquals(new long[] {1, -2}, x.detach().to(DType.INT64).toLongArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new long[] {1}, 1).requiresGrad(true));
    }

    @Test
    void toStringShowsShapeDtypeAndSmallData() {
        String s = Tensor.of(new float[] {1, 2}, 2).toString();
        assertTrue(s.contains("shape=[2]") && s.contains("FLOAT32") && s.contains("[1.0, 2.0]"), s);
    }

    @Test
    void philoxKnownAnswer() {
        // Salmon et al.'s Random123 known-answer vector for philox4x32-10 with zero counter and key.
        int[] out = new int[4];
        Philox.block(0, 0, out);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
    }

    @Test
    void generatorsAreReproducibleAndNeverReuseNumbers() {
        Generator.defaultGenerator().manualSeed(42);
        double[] first = Tensor.rand(10).toDoubleArray();
        double[] second = Tensor.rand(10).toDoubleArray();
        Generator.defaultGenerator().manualSeed(42);
        assertArrayEquals(first, Tensor.rand(10).toDoubleArray());
        assertFalse(java.util.Arrays.equals(first, second));
        Generator g = new Generator(1);
        assertEquals(0, g.reserve(5));
        assertEquals(2, g.reserve(1));
        assertEquals(3, g.offset());
    }

    @Test
    void randnHasUnitMoments() {
        Generator.defaultGenerator().manualSeed(3);
        Tensor z = Tensor.randn(100_000);
        assertEquals(0, z.mean().item(), 0.02);
        assertEquals(1, z.var().item(), 0.02);
        Tensor u = Tensor.rand(100_000);
        assertTrue(u.min().item() >= 0 && u.max().item() < 1);
        assertEquals(0.5, u.mean().item(), 0.01);
    }
}

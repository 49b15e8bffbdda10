package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.random.Generator;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Dropout layers, initializers and layer constructors given their own {@link Generator}
 * (PyTorch's {@code generator=}): their draws depend on that generator alone, so two models can
 * be reproduced whatever else draws from the default generator meanwhile, and the default
 * generator does not move.
 */
class OwnGeneratorTest {
    private static final Generator GLOBAL = Generator.defaultGenerator();

    private static Tensor ones(int... shape) {
        return Tensor.ones(DType.FLOAT32, shape);
    }

    private static float[] run(Dropout d, Tensor x) {
        return d.forward(x).toFloatArray();
    }

    @Test
    void dropoutLayersWithTheirOwnGeneratorsRepeatWhateverTheDefaultGeneratorDoes() {
        Tensor x = ones(4, 256);
        // Run 1: two layers, one after the other, nothing else drawing.
        Myelin.manualSeed(0);
        Dropout a = new Dropout(0.5, new Generator(1)), b = new Dropout(0.5, new Generator(2));
        long before = GLOBAL.offset();
        float[] a1 = run(a, x), b1 = run(b, x), a2 = run(a, x), b2 = run(b, x);
        assertEquals(before, GLOBAL.offset(), "layers with their own generator moved the default one");

        // Run 2: another default seed, the default generator drawing in between, the layers interleaved otherwise.
        Myelin.manualSeed(99);
        Dropout a2nd = new Dropout(0.5, new Generator(1)), b2nd = new Dropout(0.5, new Generator(2));
        F.dropout(x, 0.5, true);
        float[] rb1 = run(b2nd, x);
        F.dropout(x, 0.3, true);
        float[] ra1 = run(a2nd, x), ra2 = run(a2nd, x);
        new Linear(8, 8);
        float[] rb2 = run(b2nd, x);

        assertArrayEquals(a1, ra1);
        assertArrayEquals(a2, ra2);
        assertArrayEquals(b1, rb1);
        assertArrayEquals(b2, rb2);
        assertFalse(java.util.Arrays.equals(a1, a2), "the second mask repeated the first");
        assertFalse(java.util.Arrays.equals(a1, b1), "generators 1 and 2 gave the same mask");
        // The layer draws what F.dropout draws from the same generator.
        assertArrayEquals(a1, F.dropout(x, 0.5, true, new Generator(1)).toFloatArray());
        assertSame(GLOBAL, new Dropout(0.5).generator());
    }

    @Test
    void dropout2dWithItsOwnGeneratorAndItsGradient() {
        Tensor x = ones(3, 8, 2, 2).requiresGrad(true);
        Dropout2d d = new Dropout2d(0.5, new Generator(5));
        long before = GLOBAL.offset();
        Tensor y = d.forward(x);
        y.sum().backward();
        assertEquals(before, GLOBAL.offset());
        float[] expected = F.dropout2d(ones(3, 8, 2, 2), 0.5, true, new Generator(5)).toFloatArray();
        assertArrayEquals(expected, y.toFloatArray());
        assertArrayEquals(expected, x.grad().toFloatArray(), "the backward regenerates the forward's mask");
    }

    /** Two runs of an initializer on fresh generators of the same seed agree; the default generator stays put. */
    private static void reproducible(Consumer<Generator> init, Tensor t) {
        long before = GLOBAL.offset();
        init.accept(new Generator(11));
        float[] first = t.toFloatArray();
        init.accept(new Generator(11));
        assertArrayEquals(first, t.toFloatArray());
        init.accept(new Generator(12));
        assertFalse(java.util.Arrays.equals(first, t.toFloatArray()), "seed 12 gave seed 11's values");
        assertEquals(before, GLOBAL.offset(), "an initializer with its own generator moved the default one");
    }

    @Test
    void initializersWithTheirOwnGenerator() {
        Tensor t = Tensor.empty(DType.FLOAT32, 16, 8);
        reproducible(g -> Init.uniform(t, -1, 1, g), t);
        reproducible(g -> Init.normal(t, 0, 1, g), t);
        reproducible(g -> Init.xavierUniform(t, 1, g), t);
        reproducible(g -> Init.xavierNormal(t, 1, g), t);
        reproducible(g -> Init.kaimingUniform(t, 0, Init.FanMode.FAN_IN, "relu", g), t);
        reproducible(g -> Init.kaimingNormal(t, 0, Init.FanMode.FAN_OUT, "relu", g), t);
    }

    @Test
    void layersBuiltFromAGeneratorEqualLayersBuiltAfterSeedingTheDefaultOne() {
        long before = GLOBAL.offset();
        Linear own = new Linear(5, 3, true, DType.FLOAT32, new Generator(21));
        Conv2d ownConv = new Conv2d(2, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1},
                1, true, DType.FLOAT32, new Generator(22));
        assertEquals(before, GLOBAL.offset(), "a layer built from its own generator moved the default one");

        Myelin.manualSeed(21);
        Linear seeded = new Linear(5, 3);
        Myelin.manualSeed(22);
        Conv2d seededConv = new Conv2d(2, 4, 3);
        assertArrayEquals(seeded.weight.toFloatArray(), own.weight.toFloatArray());
        assertArrayEquals(seeded.bias.toFloatArray(), own.bias.toFloatArray());
        assertArrayEquals(seededConv.weight.toFloatArray(), ownConv.weight.toFloatArray());
        assertArrayEquals(seededConv.bias.toFloatArray(), ownConv.bias.toFloatArray());

        // reset_parameters from a generator draws the same values again.
        own.resetParameters(new Generator(21));
        assertArrayEquals(seeded.weight.toFloatArray(), own.weight.toFloatArray());
        assertArrayEquals(seeded.bias.toFloatArray(), own.bias.toFloatArray());
        ownConv.resetParameters(new Generator(22));
        assertArrayEquals(seededConv.weight.toFloatArray(), ownConv.weight.toFloatArray());
    }
}

package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.nn.functional.F;
import dev.myelin.random.Generator;
import dev.myelin.random.Philox;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import dev.myelin.testing.Parity;
import dev.myelin.testing.Parity.Pair;
import dev.myelin.testing.ParityWithCpu;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Dropout on each backend: masks against the Philox reference, scaling, special cases, gradients and
 * argument checks; the kernel's masks and scales bit for bit the CPU's, for element and channel dropout.
 */
class DropoutTest {
    /** 1 + i, so that no kept element is zero. */
    private static double[] ramp(int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = 1 + i;
        return v;
    }

    /** Checks out against keep(i / groupSize) = Philox.uniform(seed, offset, i / groupSize) >= p, exactly. */
    private static void assertMask(double[] x, double[] out, double p, long seed, long offset, long groupSize) {
        for (int i = 0; i < x.length; i++) {
            boolean keep = Philox.uniform(seed, offset, i / groupSize) >= p;
            double expected = keep ? x[i] * (1 / (1 - p)) : 0;
            assertEquals(expected, out[i], Math.abs(expected) * 1e-6, "element " + i);
            assertEquals(keep, out[i] != 0, "mask at element " + i);
        }
    }

    @OnEachBackend
    void kernelMatchesPhiloxForAnySizeSeedAndOffset(BackendUnderTest on) {
        long[][] seedOffsets = {{0, 0}, {42, 3}, {Generator.DEFAULT_SEED, 1L << 33}, {-1L, 12_345}};
        for (long[] so : seedOffsets) {
            for (int n : new int[] {1, 5, 7, 1023, 1029, 4099}) {
                for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    double[] x = ramp(n);
                    Tensor xt = Tensor.of(x, n).to(dtype), out = Tensor.empty(dtype, n);
                    xt.backend().dropout().dropout(xt, 0.3, so[0], so[1], 1, out);
                    assertMask(x, out.toDoubleArray(), 0.3, so[0], so[1], 1);
                }
            }
        }
    }

    @OnEachBackend
    void groupedKernelDrawsOncePerGroup(BackendUnderTest on) {
        for (int group : new int[] {2, 3, 35, 1000}) {
            int n = group * 13;
            double[] x = ramp(n);
            for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                Tensor xt = Tensor.of(x, n).to(dtype), out = Tensor.empty(dtype, n);
                xt.backend().dropout().dropout(xt, 0.5, 7, 9, group, out);
                assertMask(x, out.toDoubleArray(), 0.5, 7, 9, group);
            }
        }
    }

    @OnEachBackend
    void dropoutReservesItsDrawsFromTheGenerator(BackendUnderTest on) {
        Generator gen = new Generator(1234);
        gen.manualSeed(99);
        double[] x = ramp(10);
        Tensor first = F.dropout(Tensor.of(x, 2, 5), 0.4, true, gen);
        assertEquals(Philox.countersFor(10), gen.offset());
        assertMask(x, first.toDoubleArray(), 0.4, 99, 0, 1);
        Tensor second = F.dropout(Tensor.of(x, 2, 5), 0.4, true, gen);
        assertMask(x, second.toDoubleArray(), 0.4, 99, Philox.countersFor(10), 1);
    }

    @OnEachBackend
    void dropout2dZeroesWholePlanes(BackendUnderTest on) {
        Generator gen = new Generator(5);
        double[] x = ramp(2 * 3 * 5 * 7);
        Tensor y = F.dropout2d(Tensor.of(x, 2, 3, 5, 7), 0.5, true, gen);
        assertMask(x, y.toDoubleArray(), 0.5, 5, 0, 35);
        assertEquals(Philox.countersFor(6), gen.offset(), "one draw per (n, c) plane");
        // A 3-D input is [N, C, L], as in PyTorch 1.13: one draw per row of L.
        double[] x3 = ramp(4 * 6 * 3);
        long offset = gen.offset();
        Tensor y3 = F.dropout2d(Tensor.of(x3, 4, 6, 3), 0.5, true, gen);
        assertMask(x3, y3.toDoubleArray(), 0.5, 5, offset, 3);
    }

    @OnEachBackend
    void keepRateAndScaling(BackendUnderTest on) {
        int n = 100_000;
        double p = 0.3;
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        double[] y = F.dropout(Tensor.of(ones, n), p, true, new Generator(2024)).toDoubleArray();
        int kept = 0;
        for (double v : y) {
            if (v != 0) {
                kept++;
                assertEquals((float) (1 / (1 - p)), v, 0, "kept values are scaled by 1/(1-p)");
            }
        }
        // Binomial(n, 0.7): standard deviation about 145; 5 of them is a false alarm once in millions.
        assertEquals(n * (1 - p), kept, 5 * Math.sqrt(n * p * (1 - p)));
    }

    @OnEachBackend
    void identityZeroAndEmptyCases(BackendUnderTest on) {
        Tensor x = Tensor.of(ramp(6), 2, 3).requiresGrad(true);
        assertSame(x, F.dropout(x, 0.5, false), "eval is the identity");
        assertSame(x, F.dropout(x, 0.0, true), "p = 0 is the identity");
        Tensor planes = Tensor.of(ramp(6), 1, 2, 3);
        assertSame(planes, F.dropout2d(planes, 0.5, false), "dropout2d in eval returns its input");
        assertSame(planes, F.dropout2d(planes, 0.0, true));
        Tensor empty = Tensor.zeros(DType.FLOAT64, 0, 3);
        assertSame(empty, F.dropout(empty, 0.5, true));

        Generator gen = new Generator(1);
        Tensor y = F.dropout(x, 1.0, true, gen);
        assertArrayEquals(new double[6], y.toDoubleArray());
        y.sum().backward();
        assertArrayEquals(new double[6], x.grad().toDoubleArray(), "p = 1 has a zero gradient");
        assertEquals(0, gen.offset(), "p = 1 draws nothing");
    }

    @OnEachBackend
    void backwardReusesTheForwardMask(BackendUnderTest on) {
        Random r = new Random(3);
        int n = 1031;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) g[i] = r.nextGaussian();
        for (boolean channelWise : new boolean[] {false, true}) {
            Tensor x = Tensor.of(ramp(n * 4), n, 4, 1, 1).requiresGrad(true);
            Tensor y = channelWise ? F.dropout2d(x, 0.6, true, new Generator(8))
                    : F.dropout(x, 0.6, true, new Generator(8));
            double[] grad = new double[n * 4];
            for (int i = 0; i < grad.length; i++) grad[i] = g[i % n];
            y.backward(Tensor.of(grad, n, 4, 1, 1));
            double[] out = y.toDoubleArray(), gx = x.grad().toDoubleArray();
            for (int i = 0; i < gx.length; i++) {
                assertEquals(out[i] == 0 ? 0 : grad[i] / 0.4, gx[i], 1e-12, "element " + i);
            }
        }
    }

    @OnEachBackend
    void gradcheckDropoutAndDropout2d(BackendUnderTest on) {
        Random r = new Random(4);
        double[] v = new double[2 * 3 * 2 * 2];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        Tensor x = Tensor.of(v, 2, 3, 2, 2).requiresGrad(true);
        // A fresh generator per evaluation keeps the mask fixed while the check perturbs x.
        GradCheck.check(in -> F.dropout(in[0], 0.4, true, new Generator(11)), x);
        GradCheck.check(in -> F.dropout2d(in[0], 0.4, true, new Generator(11)), x);
    }

    @OnEachBackend
    void dropoutWithMaskScalesAndDifferentiates(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[] {1, -2, 3, 4, 0.5, -6}, 2, 3).requiresGrad(true);
        Tensor mask = Tensor.of(new double[] {1, 0, 1, 1, 0, 0}, 2, 3);
        assertArrayEquals(new double[] {1 / 0.8, 0, 3 / 0.8, 4 / 0.8, 0, 0},
                F.dropoutWithMask(x, mask, 0.2).toDoubleArray(), 1e-12);
        Tensor intMask = Tensor.of(new int[] {1, 0, 1, 1, 0, 0}, 2, 3);
        assertArrayEquals(new double[] {1, 0, 3, 4, 0, 0}, F.dropoutWithMask(x, intMask, 0).toDoubleArray(), 0);
        GradCheck.check(in -> F.dropoutWithMask(in[0], mask, 0.3), x);
        // p = 1 drops everything (PyTorch returns x * 0), with a zero gradient.
        assertArrayEquals(new double[6], F.dropoutWithMask(x, Tensor.zerosLike(x), 1.0).toDoubleArray(), 0);
    }

    @OnEachBackend
    void successiveCallsDifferAndManualSeedReproduces(BackendUnderTest on) {
        Tensor x = Tensor.of(ramp(64), 64);
        Generator gen = Generator.defaultGenerator();
        long savedSeed = gen.seed(), savedOffset = gen.offset();
        try {
            gen.manualSeed(314);
            double[] a = F.dropout(x, 0.5, true).toDoubleArray();
            double[] b = F.dropout(x, 0.5, true).toDoubleArray();
            assertFalse(java.util.Arrays.equals(a, b), "two calls draw two masks");
            gen.manualSeed(314);
            assertArrayEquals(a, F.dropout(x, 0.5, true).toDoubleArray(), "manualSeed replays the masks");
            assertArrayEquals(b, F.dropout(x, 0.5, true).toDoubleArray());
        } finally {
            gen.setState(savedSeed, savedOffset);
        }
    }

    @OnEachBackend
    void invalidArgumentsAreRejected(BackendUnderTest on) {
        Tensor x = Tensor.of(ramp(8), 1, 2, 2, 2);
        for (double p : new double[] {-0.1, 1.5, Double.NaN}) {
            assertError(() -> F.dropout(x, p, true), "dropout", "p");
            assertError(() -> F.dropout(x, p, false), "dropout", "p");
            assertError(() -> F.dropout2d(x, p, true), "dropout2d", "p");
        }
        assertError(() -> F.dropout2d(Tensor.of(ramp(4), 2, 2), 0.5, true), "dropout2d", "[2, 2]");
        assertError(() -> F.dropoutWithMask(x, Tensor.onesLike(x), 1.5), "dropout", "p");
        assertError(() -> F.dropoutWithMask(x, Tensor.ones(DType.FLOAT64, 8), 0.5), "dropout", "'mask'", "[8]");
        assertError(() -> F.dropoutWithMask(x, Tensor.fullLike(x, 0.5), 0.5), "dropout", "'mask'", "0.5");
        assertError(() -> F.dropout(Tensor.of(new int[] {1, 2}, 2), 0.5, true), "dropout", "input");
    }

    // ---------------------------------------------------------------- the kernel against the CPU's

    @ParityWithCpu
    void sameMasksAndScalesAsTheCpu(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 3, 4, 1001, (1 << 20) + 5}) {
                for (double p : new double[] {0, 0.1, 0.5, 0.875}) {
                    for (long[] so : new long[][] {{0, 0}, {42, 1 << 20}, {-7, Long.MAX_VALUE - 2}}) {
                        Pair x = Parity.uniform(n, dt, -2, 2, n), out = Parity.poisoned(dt, n);
                        Parity.cpu().dropout().dropout(x.cpu(), p, so[0], so[1], 1, out.cpu());
                        on.backend().dropout().dropout(x.tested(), p, so[0], so[1], 1, out.tested());
                        Parity.assertExact("dropout " + dt + " n=" + n + " p=" + p + " seed " + so[0]
                                + " offset " + so[1], out);
                    }
                }
            }
        }
    }

    @ParityWithCpu
    void channelDropoutDrawsOncePerPlane(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            int[] shape = {5, 7, 3, 11};
            Pair x = Parity.uniform(1, dt, -2, 2, shape), out = Parity.poisoned(dt, shape);
            Parity.cpu().dropout().dropout(x.cpu(), 0.4, 1234, 99, 33, out.cpu());
            on.backend().dropout().dropout(x.tested(), 0.4, 1234, 99, 33, out.tested());
            Parity.assertExact("dropout2d " + dt, out);
        }
    }

    private static void assertError(org.junit.jupiter.api.function.Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' not in: " + e.getMessage());
        }
    }
}

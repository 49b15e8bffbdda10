package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.cuda.kernels.PoolingCases;
import dev.myelin.cuda.kernels.PoolingCases.Case;
import dev.myelin.nn.functional.F;
import dev.myelin.testing.BackendInvocation;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import dev.myelin.testing.Parity;
import dev.myelin.testing.Parity.Pair;
import dev.myelin.testing.ParityWithCpu;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * max_pool2d and avg_pool2d on each backend: against a direct reference and hand-computed values;
 * gradient checks; bad input; the backend's pooling (cuDNN and its own kernels on CUDA) against the CPU's.
 */
class PoolTest {
    /** One per test instance (one per backend and test), so that every backend sees the same data. */
    private final Random rng = new Random(11);

    private double[] random(int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = rng.nextDouble() * 2 - 1;
        return v;
    }

    /**
     * Output length by walking the windows from -pad: floor mode keeps windows that fit in the padded
     * input; ceil mode keeps windows that start inside the input or its left padding until the padded
     * input is covered.
     */
    private static int outLen(int in, int k, int s, int pad, boolean ceil) {
        int count = 0;
        for (int start = -pad; ceil ? start < in : start + k <= in + pad; start += s) {
            count++;
            if (start + k >= in + pad) break;
        }
        return count;
    }

    /** Direct pooling over each window's taps. */
    private static double[] direct(boolean max, double[] x, int planes, int h, int w, int[] k, int[] s, int[] pad,
                                     boolean ceil, boolean countPad) {
        int oh = outLen(h, k[0], s[0], pad[0], ceil), ow = outLen(w, k[1], s[1], pad[1], ceil);
        double[] y = new double[planes * oh * ow];
        for (int c = 0; c < planes; c++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double best = Double.NEGATIVE_INFINITY, sum = 0;
                    int inside = 0, inPadded = 0;
                    for (int i = 0; i < k[0]; i++) {
                        for (int j = 0; j < k[1]; j++) {
                            int ih = oy * s[0] - pad[0] + i, iw = ox * s[1] - pad[1] + j;
                            if (ih < h + pad[0] && iw < w + pad[1]) inPadded++;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            double v = x[(c * h + ih) * w + iw];
                            inside++;
                            sum += v;
                            best = Math.max(best, v);
                        }
                    }
                    y[(c * oh + oy) * ow + ox] = max ? best : sum / (countPad ? inPadded : inside);
                }
            }
        }
        return y;
    }

    private static int[] p(int h, int w) {
        return new int[] {h, w};
    }

    private void check(boolean max, int n, int c, int h, int w, int[] k, int[] s, int[] pad, boolean ceil,
                       boolean countPad) {
        double[] x = random(n * c * h * w);
        double[] want = direct(max, x, n * c, h, w, k, s, pad, ceil, countPad);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor xt = Tensor.of(x, n, c, h, w).to(dtype);
            Tensor y = max ? F.maxPool2d(xt, k, s, pad, ceil) : F.avgPool2d(xt, k, s, pad, ceil, countPad);
            int[] expected = {n, c, outLen(h, k[0], s[0], pad[0], ceil), outLen(w, k[1], s[1], pad[1], ceil)};
            assertArrayEquals(expected, y.shape());
            assertArrayEquals(want, y.toDoubleArray(), dtype == DType.FLOAT32 ? 1e-6 : 1e-14,
                    (max ? "max" : "avg") + " " + dtype + " h=" + h + " w=" + w + " k=" + k[0] + "," + k[1]);
        }
    }

    @OnEachBackend
    void forwardMatchesDirectPooling(BackendUnderTest on) {
        for (boolean max : new boolean[] {true, false}) {
            check(max, 2, 3, 6, 7, p(2, 2), p(2, 2), p(0, 0), false, true);
            check(max, 1, 2, 7, 6, p(3, 3), p(2, 2), p(1, 1), false, true);
            check(max, 1, 2, 7, 6, p(3, 3), p(2, 2), p(1, 1), true, true);
            check(max, 2, 1, 5, 5, p(3, 2), p(3, 1), p(1, 0), true, false);
            check(max, 1, 2, 5, 8, p(2, 3), p(2, 3), p(1, 1), true, false);
            check(max, 1, 1, 6, 6, p(4, 4), p(3, 3), p(2, 2), true, true);
            check(max, 1, 1, 6, 6, p(4, 4), p(3, 3), p(2, 2), true, false);
            check(max, 4, 16, 32, 32, p(3, 3), p(2, 2), p(1, 1), false, true);
        }
    }

    @OnEachBackend
    void ceilModeDropsTheWindowStartingInTheRightPadding(BackendUnderTest on) {
        // H = 5, k = 3, s = 3, pad = 1: ceil((5 + 2 - 3) / 3) + 1 = 3, but the third window would start
        // at 5 = H, inside the right padding only, so PyTorch gives 2.
        Tensor x = Tensor.of(random(25), 1, 1, 5, 5);
        assertArrayEquals(new int[] {1, 1, 2, 2}, F.maxPool2d(x, p(3, 3), p(3, 3), p(1, 1), true).shape());
        // H = 5, k = 2, s = 2, no pad: floor gives 2, ceil 3 (the last window holds one column).
        assertArrayEquals(new int[] {1, 1, 3, 3}, F.avgPool2d(x, p(2, 2), null, p(0, 0), true, true).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2}, F.avgPool2d(x, p(2, 2), null, p(0, 0), false, true).shape());
    }

    @OnEachBackend
    void handComputedValuesAndIndices(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[] {1, 5, 2, 0, 3, 4, 9, 8, 7}, 1, 1, 3, 3);
        // k 2, s 2, pad 1: windows cover {1}, {5,2}, {0,9}, {3,4,8,7}.
        Tensor y = F.maxPool2d(x, p(2, 2), p(2, 2), p(1, 1), false);
        assertArrayEquals(new double[] {1, 5, 9, 8}, y.toDoubleArray());
        // count_include_pad: divisor 4 everywhere; without: 1, 2, 2, 4.
        assertArrayEquals(new double[] {0.25, 1.75, 2.25, 5.5},
                F.avgPool2d(x, p(2, 2), p(2, 2), p(1, 1), false, true).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1, 3.5, 4.5, 5.5},
                F.avgPool2d(x, p(2, 2), p(2, 2), p(1, 1), false, false).toDoubleArray(), 1e-15);
        // Indices through the backward pass: the gradient lands on the argmax (flat h * W + w).
        Tensor leaf = x.requiresGrad(true);
        F.maxPool2d(leaf, p(2, 2), p(2, 2), p(1, 1), false).sum().backward();
        assertArrayEquals(new double[] {1, 1, 0, 0, 0, 0, 1, 1, 0}, leaf.grad().toDoubleArray());
    }

    @OnEachBackend
    void maxPoolPropagatesNanAndCeilModeDivisor(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 2, 3}, 1, 1, 2, 2);
        assertTrue(Double.isNaN(F.maxPool2d(x, 2).item()));
        assertTrue(Double.isNaN(F.maxPool2d(x.to(DType.FLOAT32), 2).item()));
        // ceil_mode with count_include_pad: the clipped last window divides by its size within the padded input.
        Tensor z = Tensor.of(new double[] {1, 2, 3, 4, 5}, 1, 1, 1, 5);
        assertArrayEquals(new double[] {1.5, 3.5, 5},
                F.avgPool2d(z, p(1, 2), p(1, 2), p(0, 0), true, true).toDoubleArray(), 1e-15);
    }

    @OnEachBackend
    void unbatchedInput(BackendUnderTest on) {
        double[] x = random(2 * 4 * 4);
        Tensor y3 = F.maxPool2d(Tensor.of(x, 2, 4, 4), 2);
        assertArrayEquals(new int[] {2, 2, 2}, y3.shape());
        assertArrayEquals(F.maxPool2d(Tensor.of(x, 1, 2, 4, 4), 2).toDoubleArray(), y3.toDoubleArray());
    }

    private Tensor leaf(int... shape) {
        int len = 1;
        for (int s : shape) len *= s;
        return Tensor.of(random(len), shape).requiresGrad(true);
    }

    @OnEachBackend
    void gradcheckMaxPool(BackendUnderTest on) {
        GradCheck.check(in -> F.maxPool2d(in[0], p(2, 2), null, p(0, 0), false), leaf(2, 2, 4, 5));
        GradCheck.check(in -> F.maxPool2d(in[0], p(3, 3), p(2, 2), p(1, 1), true), leaf(1, 2, 6, 5));
        GradCheck.check(in -> F.maxPool2d(in[0], p(3, 2), p(1, 2), p(1, 1), false), leaf(2, 5, 4));
    }

    @OnEachBackend
    void gradcheckAvgPool(BackendUnderTest on) {
        GradCheck.check(in -> F.avgPool2d(in[0], p(2, 2), null, p(0, 0), false, true), leaf(2, 2, 4, 5));
        GradCheck.check(in -> F.avgPool2d(in[0], p(3, 3), p(2, 2), p(1, 1), true, true), leaf(1, 2, 6, 5));
        GradCheck.check(in -> F.avgPool2d(in[0], p(3, 3), p(2, 2), p(1, 1), true, false), leaf(1, 2, 6, 5));
        GradCheck.check(in -> F.avgPool2d(in[0], p(2, 3), p(2, 1), p(1, 1), false, false), leaf(2, 5, 4));
    }

    private static void assertBad(String op, Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(op), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
    }

    @OnEachBackend
    void rejectsBadInput(BackendUnderTest on) {
        Tensor x = Tensor.zeros(1, 2, 4, 4);
        int[] zero = p(0, 0);
        assertBad("max_pool2d", () -> F.maxPool2d(Tensor.zeros(4, 4), 2), "[4, 4]");
        assertBad("avg_pool2d", () -> F.avgPool2d(Tensor.zeros(1, 1, 1, 4, 4), 2), "[1, 1, 1, 4, 4]");
        assertBad("max_pool2d", () -> F.maxPool2d(x, p(3, 3), null, p(2, 1), false), "padding", "[2, 1]", "[3, 3]");
        assertBad("avg_pool2d", () -> F.avgPool2d(x, p(2, 2), p(0, 1), zero, false, true), "stride", "[0, 1]");
        assertBad("max_pool2d", () -> F.maxPool2d(x, p(0, 2), null, zero, false), "kernel_size", "[0, 2]");
        assertBad("max_pool2d", () -> F.maxPool2d(x, p(5, 2), null, zero, false), "too small", "[1, 2, 4, 4]");
        assertBad("avg_pool2d", () -> F.avgPool2d(x, new int[] {2, 2, 2}, null, zero, false, true), "kernel_size");
        assertBad("max_pool2d", () -> F.maxPool2d(x.to(DType.INT64), 2), "input", "INT64");
    }

    // ------------------------------------------------------------------ the kernels against the CPU's

    /** The CUDA pooling tests' geometries: padding, uneven strides, ceil mode with and without an extra window. */
    static Stream<Arguments> poolingCases() {
        return BackendUnderTest.allButCpuTimes(PoolingCases.cases().toList());
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("poolingCases")
    @ExtendWith(BackendInvocation.class)
    void avgPoolKernelsMatchTheCpu(BackendUnderTest on, Case k) {
        Pair x = Parity.random(1, k.dtype(), k.n(), k.c(), k.h(), k.w());
        Pair y = Parity.poisoned(k.dtype(), k.n(), k.c(), k.oh(), k.ow());
        Parity.cpu().pooling().avgPool2d(x.cpu(), k.p(), y.cpu());
        on.backend().pooling().avgPool2d(x.tested(), k.p(), y.tested());
        Parity.assertClose("avg_pool2d " + k, y);

        Pair gy = Parity.random(2, k.dtype(), k.n(), k.c(), k.oh(), k.ow());
        Pair gx = Parity.poisoned(k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.cpu().pooling().avgPool2dBackward(gy.cpu(), k.p(), gx.cpu());
        on.backend().pooling().avgPool2dBackward(gy.tested(), k.p(), gx.tested());
        Parity.assertClose("avg_pool2d backward " + k, gx);
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("poolingCases")
    @ExtendWith(BackendInvocation.class)
    void maxPoolKernelsMatchTheCpuIndicesIncluded(BackendUnderTest on, Case k) {
        Pair x = Parity.random(3, k.dtype(), k.n(), k.c(), k.h(), k.w());
        Pair y = Parity.poisoned(k.dtype(), k.n(), k.c(), k.oh(), k.ow());
        Pair idx = Parity.empty(DType.INT64, k.n(), k.c(), k.oh(), k.ow());
        Parity.cpu().pooling().maxPool2d(x.cpu(), k.p(), y.cpu(), idx.cpu());
        on.backend().pooling().maxPool2d(x.tested(), k.p(), y.tested(), idx.tested());
        Parity.assertClose("max_pool2d " + k, y);
        Parity.assertExact("max_pool2d indices " + k, idx);

        Pair gy = Parity.random(4, k.dtype(), k.n(), k.c(), k.oh(), k.ow());
        Pair gx = Parity.poisoned(k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.cpu().pooling().maxPool2dBackward(gy.cpu(), idx.cpu(), k.p(), gx.cpu());
        on.backend().pooling().maxPool2dBackward(gy.tested(), idx.tested(), k.p(), gx.tested());
        Parity.assertClose("max_pool2d backward " + k, gx);
    }

    @ParityWithCpu
    void maxPoolKernelPropagatesNanAsTheCpu(BackendUnderTest on) {
        double[] v = new double[16];
        for (int i = 0; i < 16; i++) v[i] = i;
        v[5] = Double.NaN;
        Pair x = Parity.of(DType.FLOAT32, v, 1, 1, 4, 4);
        Pooling.Params p = new Pooling.Params(2, 2, 2, 2, 0, 0, false, true);
        Pair y = Parity.empty(DType.FLOAT32, 1, 1, 2, 2), idx = Parity.empty(DType.INT64, 1, 1, 2, 2);
        Parity.cpu().pooling().maxPool2d(x.cpu(), p, y.cpu(), idx.cpu());
        on.backend().pooling().maxPool2d(x.tested(), p, y.tested(), idx.tested());
        Parity.assertClose("max_pool2d with NaN", y);
        Parity.assertExact("max_pool2d indices with NaN", idx);
    }
}

package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.nn.functional.F;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** max_pool2d and avg_pool2d against a direct reference and hand-computed values; gradient checks; bad input. */
class PoolTest {
    private static final Random RNG = new Random(11);

    private static double[] random(int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = RNG.nextDouble() * 2 - 1;
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

    private static void check(boolean max, int n, int c, int h, int w, int[] k, int[] s, int[] pad, boolean ceil,
                              boolean countPad) {
        double[] x = random(n * c * h * w);
        double[] want = direct(max, x, n * c, h, w, k, s, pad, ceil, countPad);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor xt = Tensor.of(x, n, c, h, w).to(dtype);
            Tensor y = max ? F.maxPool2d(xt, k, s, pad, ceil) : F.avgPool2d(xt, k, s, pad, ceil, countPad);
            assertArrayEquals(new int[] {n, c, outLen(h, k[0], s[0], pad[0], ceil), outLen(w, k[1], s[1], pad[1], ceil)},
                    y.shape());
            assertArrayEquals(want, y.toDoubleArray(), dtype == DType.FLOAT32 ? 1e-6 : 1e-14,
                    (max ? "max" : "avg") + " " + dtype + " h=" + h + " w=" + w + " k=" + k[0] + "," + k[1]);
        }
    }

    @Test
    void forwardMatchesDirectPooling() {
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

    @Test
    void ceilModeDropsTheWindowStartingInTheRightPadding() {
        // H = 5, k = 3, s = 3, pad = 1: ceil((5 + 2 - 3) / 3) + 1 = 3, but the third window would start
        // at 5 = H, inside the right padding only, so PyTorch gives 2.
        Tensor x = Tensor.of(random(25), 1, 1, 5, 5);
        assertArrayEquals(new int[] {1, 1, 2, 2}, F.maxPool2d(x, p(3, 3), p(3, 3), p(1, 1), true).shape());
        // H = 5, k = 2, s = 2, no pad: floor gives 2, ceil 3 (the last window holds one column).
        assertArrayEquals(new int[] {1, 1, 3, 3}, F.avgPool2d(x, p(2, 2), null, p(0, 0), true, true).shape());
        assertArrayEquals(new int[] {1, 1, 2, 2}, F.avgPool2d(x, p(2, 2), null, p(0, 0), false, true).shape());
    }

    @Test
    void handComputedValuesAndIndices() {
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

    @Test
    void maxPoolPropagatesNanAndCeilModeDivisor() {
        Tensor x = Tensor.of(new double[] {1, Double.NaN, 2, 3}, 1, 1, 2, 2);
        assertTrue(Double.isNaN(F.maxPool2d(x, 2).item()));
        assertTrue(Double.isNaN(F.maxPool2d(x.to(DType.FLOAT32), 2).item()));
        // ceil_mode with count_include_pad: the clipped last window divides by its size within the padded input.
        Tensor z = Tensor.of(new double[] {1, 2, 3, 4, 5}, 1, 1, 1, 5);
        assertArrayEquals(new double[] {1.5, 3.5, 5},
                F.avgPool2d(z, p(1, 2), p(1, 2), p(0, 0), true, true).toDoubleArray(), 1e-15);
    }

    @Test
    void unbatchedInput() {
        double[] x = random(2 * 4 * 4);
        Tensor y3 = F.maxPool2d(Tensor.of(x, 2, 4, 4), 2);
        assertArrayEquals(new int[] {2, 2, 2}, y3.shape());
        assertArrayEquals(F.maxPool2d(Tensor.of(x, 1, 2, 4, 4), 2).toDoubleArray(), y3.toDoubleArray());
    }

    private static Tensor leaf(int... shape) {
        int len = 1;
        for (int s : shape) len *= s;
        return Tensor.of(random(len), shape).requiresGrad(true);
    }

    @Test
    void gradcheckMaxPool() {
        GradCheck.check(in -> F.maxPool2d(in[0], p(2, 2), null, p(0, 0), false), leaf(2, 2, 4, 5));
        GradCheck.check(in -> F.maxPool2d(in[0], p(3, 3), p(2, 2), p(1, 1), true), leaf(1, 2, 6, 5));
        GradCheck.check(in -> F.maxPool2d(in[0], p(3, 2), p(1, 2), p(1, 1), false), leaf(2, 5, 4));
    }

    @Test
    void gradcheckAvgPool() {
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

    @Test
    void rejectsBadInput() {
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
}

package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
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

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * conv2d on each backend: forward and both backwards against a direct convolution (large problems too,
 * which the CPU splits over threads), gradient checks, bad input; the backend's conv kernels (cuDNN on
 * CUDA) against the CPU's.
 */
class ConvTest {
    /** One per test instance (one per backend and test), so that every backend sees the same data. */
    private final Random rng = new Random(7);

    /** One configuration: x [n, c, h, w], weight [o, c / groups, kh, kw]. */
    private record Case(int n, int c, int h, int w, int o, int kh, int kw, int[] stride, int[] pad, int[] dil,
                        int groups, boolean bias) {
        @Override
        public String toString() {
            return "x [" + n + ", " + c + ", " + h + ", " + w + "] weight [" + o + ", " + c / groups + ", " + kh + ", "
                    + kw + "] stride " + java.util.Arrays.toString(stride) + " pad " + java.util.Arrays.toString(pad)
                    + " dilation " + java.util.Arrays.toString(dil) + " groups " + groups + (bias ? " bias" : "");
        }

        int oh() {
            return (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) / stride[0] + 1;
        }

        int ow() {
            return (w + 2 * pad[1] - dil[1] * (kw - 1) - 1) / stride[1] + 1;
        }
    }

    private double[] random(int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = rng.nextDouble() * 2 - 1;
        return v;
    }

    /**
     * The direct definition, summing over every (sample, output, position, input channel, tap):
     * returns {y, gradX, gradW} for the given gradY.
     */
    private static double[][] direct(Case k, double[] x, double[] wt, double[] b, double[] gy) {
        int cg = k.c / k.groups, og = k.o / k.groups, oh = k.oh(), ow = k.ow();
        double[] y = new double[k.n * k.o * oh * ow], gx = new double[x.length], gw = new double[wt.length];
        for (int n = 0; n < k.n; n++) {
            for (int o = 0; o < k.o; o++) {
                int grp = o / og;
                for (int yy = 0; yy < oh; yy++) {
                    for (int xx = 0; xx < ow; xx++) {
                        int yi = ((n * k.o + o) * oh + yy) * ow + xx;
                        double s = b == null ? 0 : b[o];
                        for (int ci = 0; ci < cg; ci++) {
                            int c = grp * cg + ci;
                            for (int i = 0; i < k.kh; i++) {
                                for (int j = 0; j < k.kw; j++) {
                                    int ih = yy * k.stride[0] - k.pad[0] + i * k.dil[0];
                                    int iw = xx * k.stride[1] - k.pad[1] + j * k.dil[1];
                                    if (ih < 0 || ih >= k.h || iw < 0 || iw >= k.w) continue;
                                    int xi = ((n * k.c + c) * k.h + ih) * k.w + iw;
                                    int wi = ((o * cg + ci) * k.kh + i) * k.kw + j;
                                    s += x[xi] * wt[wi];
                                    gx[xi] += wt[wi] * gy[yi];
                                    gw[wi] += x[xi] * gy[yi];
                                }
                            }
                        }
                        y[yi] = s;
                    }
                }
            }
        }
        return new double[][] {y, gx, gw};
    }

    private void checkAgainstDirect(Case k, DType dtype, double tol) {
        double[] x = random(k.n * k.c * k.h * k.w), wt = random(k.o * (k.c / k.groups) * k.kh * k.kw);
        double[] b = k.bias ? random(k.o) : null;
        double[] gy = random(k.n * k.o * k.oh() * k.ow());
        double[][] want = direct(k, x, wt, b, gy);
        Tensor xt = Tensor.of(x, k.n, k.c, k.h, k.w).to(dtype).requiresGrad(true);
        Tensor wtt = Tensor.of(wt, k.o, k.c / k.groups, k.kh, k.kw).to(dtype).requiresGrad(true);
        Tensor bt = b == null ? null : Tensor.of(b, k.o).to(dtype).requiresGrad(true);
        Tensor y = F.conv2d(xt, wtt, bt, k.stride, k.pad, k.dil, k.groups);
        assertArrayEquals(new int[] {k.n, k.o, k.oh(), k.ow()}, y.shape());
        y.backward(Tensor.of(gy, y.shape()).to(dtype));
        String what = dtype + " " + k;
        assertClose(want[0], y.toDoubleArray(), tol, "y " + what);
        assertClose(want[1], xt.grad().toDoubleArray(), tol, "gradX " + what);
        assertClose(want[2], wtt.grad().toDoubleArray(), tol, "gradW " + what);
        if (b != null) {
            double[] gb = new double[k.o];
            for (int i = 0; i < gy.length; i++) gb[i / (k.oh() * k.ow()) % k.o] += gy[i];
            assertClose(gb, bt.grad().toDoubleArray(), tol, "gradB " + what);
        }
    }

    /** Element-wise |want - got| <= tol (1 + |want|): sums of many terms are held to a relative error. */
    private static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(want[i] - got[i]) > tol * (1 + Math.abs(want[i]))) {
                fail(what + " at " + i + ": " + got[i] + " vs " + want[i]);
            }
        }
    }

    private static int[] p(int h, int w) {
        return new int[] {h, w};
    }

    @OnEachBackend
    void matchesDirectConvolutionAcrossConfigurations(BackendUnderTest on) {
        Case[] cases = {
            new Case(2, 3, 7, 6, 4, 3, 3, p(1, 1), p(1, 1), p(1, 1), 1, true),
            new Case(2, 4, 9, 8, 6, 3, 2, p(2, 1), p(1, 0), p(2, 1), 2, false),
            new Case(1, 6, 5, 5, 6, 3, 3, p(2, 2), p(1, 1), p(1, 1), 6, true),
            new Case(3, 8, 6, 5, 16, 1, 1, p(1, 1), p(0, 0), p(1, 1), 2, true),
            new Case(2, 2, 6, 7, 3, 1, 1, p(2, 3), p(1, 0), p(1, 1), 1, false),
            new Case(1, 1, 4, 4, 1, 4, 4, p(1, 1), p(0, 0), p(1, 1), 1, true),
            new Case(2, 3, 5, 5, 2, 2, 2, p(3, 3), p(2, 1), p(2, 2), 1, true),
        };
        for (Case k : cases) {
            checkAgainstDirect(k, DType.FLOAT64, 1e-12);
            checkAgainstDirect(k, DType.FLOAT32, 1e-5);
        }
    }

    @OnEachBackend
    void largeProblemsTakeTheParallelPathsCorrectly(BackendUnderTest on) {
        // Samples in parallel (N >= threads, 10.6M multiply-adds), then one sample whose GEMMs
        // (64 x 1024 x 288) split across threads. gradW sums 2304 float32 products with cancellation.
        checkAgainstDirect(new Case(4, 16, 24, 24, 32, 3, 3, p(1, 1), p(1, 1), p(1, 1), 1, true), DType.FLOAT32, 1e-4);
        checkAgainstDirect(new Case(1, 32, 32, 32, 64, 3, 3, p(1, 1), p(1, 1), p(1, 1), 1, true), DType.FLOAT32, 1e-4);
        // Several samples side by side in one GEMM: 3 of 20 x 20 then the last 2, on one thread; and
        // threads each given 3 samples of 12 x 12 (a GEMM of 432 columns each).
        checkAgainstDirect(new Case(5, 2, 20, 20, 3, 3, 3, p(1, 1), p(1, 1), p(1, 1), 1, true), DType.FLOAT64, 1e-12);
        checkAgainstDirect(new Case(24, 16, 12, 12, 32, 3, 3, p(1, 1), p(1, 1), p(1, 1), 1, true), DType.FLOAT32,
                1e-4);
    }

    @OnEachBackend
    void unbatchedInputGivesUnbatchedOutput(BackendUnderTest on) {
        double[] x = random(2 * 5 * 5), wt = random(3 * 2 * 3 * 3);
        Tensor y3 = F.conv2d(Tensor.of(x, 2, 5, 5), Tensor.of(wt, 3, 2, 3, 3), null, 1, 1);
        Tensor y4 = F.conv2d(Tensor.of(x, 1, 2, 5, 5), Tensor.of(wt, 3, 2, 3, 3), null, 1, 1);
        assertArrayEquals(new int[] {3, 5, 5}, y3.shape());
        assertArrayEquals(y4.toDoubleArray(), y3.toDoubleArray());
    }

    @OnEachBackend
    void handComputedValue(BackendUnderTest on) {
        // 3x3 input, 2x2 ones kernel, bias 1: each output is the sum of a 2x2 block plus 1.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor y = F.conv2d(x, Tensor.ones(1, 1, 2, 2), Tensor.ones(1), 1, 0);
        assertArrayEquals(new float[] {13, 17, 25, 29}, y.toFloatArray());
    }

    private Tensor leaf(int... shape) {
        int len = 1;
        for (int s : shape) len *= s;
        return Tensor.of(random(len), shape).requiresGrad(true);
    }

    @OnEachBackend
    void gradcheckInputWeightAndBias(BackendUnderTest on) {
        GradCheck.check(in -> F.conv2d(in[0], in[1], in[2], p(1, 1), p(1, 1), p(1, 1), 1),
                leaf(2, 2, 4, 4), leaf(3, 2, 3, 3), leaf(3));
        GradCheck.check(in -> F.conv2d(in[0], in[1], in[2], p(2, 1), p(1, 1), p(1, 2), 2),
                leaf(2, 2, 5, 4), leaf(2, 1, 3, 2), leaf(2));
        GradCheck.check(in -> F.conv2d(in[0], in[1], null, p(1, 1), p(0, 0), p(1, 1), 1),
                leaf(2, 3, 3, 3), leaf(2, 3, 1, 1));
        GradCheck.check(in -> F.conv2d(in[0], in[1], in[2], p(2, 2), p(0, 1), p(1, 1), 1),
                leaf(2, 4, 4), leaf(2, 2, 2, 2), leaf(2));
    }

    private static void assertBad(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith("conv2d"), e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), e.getMessage());
    }

    @OnEachBackend
    void rejectsBadInput(BackendUnderTest on) {
        Tensor x = Tensor.zeros(2, 4, 5, 5), w = Tensor.zeros(6, 2, 3, 3);
        int[] one = p(1, 1), zero = p(0, 0);
        assertBad(() -> F.conv2d(Tensor.zeros(4, 5), w, null, one, zero, one, 2), "[4, 5]");
        assertBad(() -> F.conv2d(x, Tensor.zeros(6, 2, 3), null, one, zero, one, 2), "weight", "[6, 2, 3]");
        assertBad(() -> F.conv2d(x, w, null, one, zero, one, 1), "channels", "[2, 4, 5, 5]", "[6, 2, 3, 3]");
        assertBad(() -> F.conv2d(x, Tensor.zeros(5, 2, 3, 3), null, one, zero, one, 2), "groups", "[5, 2, 3, 3]");
        assertBad(() -> F.conv2d(x, w, null, one, zero, one, 0), "groups");
        assertBad(() -> F.conv2d(x, w, null, p(0, 1), zero, one, 2), "stride", "[0, 1]");
        assertBad(() -> F.conv2d(x, w, null, one, p(-1, 0), one, 2), "padding", "[-1, 0]");
        assertBad(() -> F.conv2d(x, w, null, one, zero, p(1, 0), 2), "dilation");
        assertBad(() -> F.conv2d(x, Tensor.zeros(6, 2, 8, 3), null, one, p(1, 0), one, 2), "kernel", "[2, 4, 5, 5]",
                "[6, 2, 8, 3]");
        assertBad(() -> F.conv2d(x, w.to(DType.FLOAT64), null, one, zero, one, 2), "dtype", "FLOAT64");
        assertBad(() -> F.conv2d(x, w, Tensor.zeros(5), one, zero, one, 2), "bias", "[5]");
        assertBad(() -> F.conv2d(x.to(DType.INT64), w, null, one, zero, one, 2), "input", "INT64");
    }

    // ------------------------------------------------------------------ the kernels against the CPU's

    /** N, C, H, W, O, KH, KW, params, bias, dtype. */
    record KernelCase(int n, int c, int h, int w, int o, int kh, int kw, Conv.Params p, boolean bias, DType dtype) {
        int oh() {
            return (h + 2 * p.padH() - p.dilationH() * (kh - 1) - 1) / p.strideH() + 1;
        }

        int ow() {
            return (w + 2 * p.padW() - p.dilationW() * (kw - 1) - 1) / p.strideW() + 1;
        }

        @Override
        public String toString() {
            return "x[" + n + "," + c + "," + h + "," + w + "] w[" + o + "," + c / p.groups() + "," + kh + "," + kw
                    + "] " + p + (bias ? " bias " : " ") + dtype;
        }
    }

    static Stream<Arguments> kernelCases() {
        return BackendUnderTest.allButCpuTimes(List.of(
                new KernelCase(2, 3, 11, 9, 5, 3, 3, new Conv.Params(1, 1, 1, 1, 1, 1, 1), true, DType.FLOAT32),
                new KernelCase(3, 4, 13, 10, 6, 3, 2, new Conv.Params(2, 3, 0, 1, 1, 1, 2), false, DType.FLOAT32),
                new KernelCase(1, 2, 15, 15, 4, 3, 3, new Conv.Params(1, 1, 2, 2, 2, 2, 1), true, DType.FLOAT32),
                new KernelCase(4, 8, 7, 7, 8, 1, 1, new Conv.Params(1, 1, 0, 0, 1, 1, 1), true, DType.FLOAT32),
                new KernelCase(2, 6, 9, 8, 6, 3, 3, new Conv.Params(1, 1, 1, 1, 1, 1, 6), false, DType.FLOAT32),
                new KernelCase(2, 3, 8, 7, 4, 5, 3, new Conv.Params(2, 1, 2, 1, 1, 1, 1), true, DType.FLOAT64),
                new KernelCase(8, 16, 28, 28, 32, 5, 5, new Conv.Params(1, 1, 2, 2, 1, 1, 1), true, DType.FLOAT32)));
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("kernelCases")
    @ExtendWith(BackendInvocation.class)
    void forwardKernelMatchesTheCpu(BackendUnderTest on, KernelCase k) {
        Pair x = Parity.random(1, k.dtype(), k.n(), k.c(), k.h(), k.w());
        Pair w = Parity.random(2, k.dtype(), k.o(), k.c() / k.p().groups(), k.kh(), k.kw());
        Pair b = k.bias() ? Parity.random(3, k.dtype(), k.o()) : Pair.NONE;
        Pair y = Parity.poisoned(k.dtype(), k.n(), k.o(), k.oh(), k.ow());
        Parity.cpu().conv().conv2d(x.cpu(), w.cpu(), b.cpu(), k.p(), y.cpu());
        on.backend().conv().conv2d(x.tested(), w.tested(), b.tested(), k.p(), y.tested());
        Parity.assertClose("conv2d " + k, y);
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("kernelCases")
    @ExtendWith(BackendInvocation.class)
    void backwardDataKernelMatchesTheCpu(BackendUnderTest on, KernelCase k) {
        Pair gy = Parity.random(4, k.dtype(), k.n(), k.o(), k.oh(), k.ow());
        Pair w = Parity.random(5, k.dtype(), k.o(), k.c() / k.p().groups(), k.kh(), k.kw());
        Pair gx = Parity.poisoned(k.dtype(), k.n(), k.c(), k.h(), k.w());
        Parity.cpu().conv().conv2dBackwardData(gy.cpu(), w.cpu(), k.p(), gx.cpu());
        on.backend().conv().conv2dBackwardData(gy.tested(), w.tested(), k.p(), gx.tested());
        Parity.assertClose("conv2d backward data " + k, gx);
    }

    @ParameterizedTest(name = "on {0}: {1}")
    @MethodSource("kernelCases")
    @ExtendWith(BackendInvocation.class)
    void backwardFilterKernelMatchesTheCpu(BackendUnderTest on, KernelCase k) {
        Pair gy = Parity.random(6, k.dtype(), k.n(), k.o(), k.oh(), k.ow());
        Pair x = Parity.random(7, k.dtype(), k.n(), k.c(), k.h(), k.w());
        Pair gw = Parity.poisoned(k.dtype(), k.o(), k.c() / k.p().groups(), k.kh(), k.kw());
        Parity.cpu().conv().conv2dBackwardFilter(gy.cpu(), x.cpu(), k.p(), gw.cpu());
        on.backend().conv().conv2dBackwardFilter(gy.tested(), x.tested(), k.p(), gw.tested());
        Parity.assertClose("conv2d backward filter " + k, gw);
    }
}

package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-entropy and NLL from class indices composed (ops.composite.ClassIndexLosses) against the
 * fused kernels: values and input gradients for every combination of layout ([C], [N, C],
 * [N, C, d1, d2]), class weights, ignore_index (the default -100 and a real class), label smoothing,
 * reduction, float32/float64 and int32/int64 targets; and float64 finite differences.
 */
class ClassIndexLossCompositeTest extends BackendCase {
    private static final int C = 5;
    private static final int[][] SHAPES = {{C}, {6, C}, {3, C, 2, 4}};
    private static final long[] IGNORE = {-100, 2};
    private static final double[] SMOOTHING = {0, 0.1, 1};
    private static final Reduction[] REDUCTIONS = {Reduction.NONE, Reduction.SUM, Reduction.MEAN};

    /** Class indices for input of this shape; every third is ignoreIndex. */
    private Tensor targets(Random r, int[] shape, DType it, long ignoreIndex) {
        int[] ts = targetShape(shape);
        int n = 1;
        for (int s : ts) n *= s;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = i % 3 == 1 ? ignoreIndex : r.nextInt(C);
        return ints(it, v, ts);
    }

    private static int[] targetShape(int[] shape) {
        if (shape.length == 1) return new int[0];
        int[] t = new int[shape.length - 1];
        t[0] = shape[0];
        System.arraycopy(shape, 2, t, 1, shape.length - 2);
        return t;
    }

    private static Tensor run(boolean logits, boolean fused, Tensor x, Tensor t, Tensor w, long ignore, Reduction red,
                              double ls) {
        return LossClassIndex.apply(logits ? "cross_entropy" : "nll_loss", logits, x, t, w, ignore, red, ls, fused);
    }

    @OnEachBackend
    void compositeMatchesTheFusedKernels(BackendUnderTest on) {
        Random r = new Random(11);
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor weight = uniform(r, dt, 0.2, 3, C);
            for (int[] shape : SHAPES) {
                Tensor x = uniform(r, dt, -4, 4, shape);
                for (DType it : new DType[] {DType.INT32, DType.INT64}) {
                    for (long ignore : IGNORE) {
                        Tensor t = targets(r, shape, it, ignore);
                        for (Tensor w : new Tensor[] {null, weight}) {
                            for (Reduction red : REDUCTIONS) {
                                for (double ls : SMOOTHING) {
                                    compare(true, dt, x, t, w, ignore, red, ls, r);
                                }
                                compare(false, dt, x.logSoftmax(shape.length == 1 ? 0 : 1), t, w, ignore, red, 0, r);
                            }
                        }
                    }
                }
            }
        }
    }

    private void compare(boolean logits, DType dt, Tensor x, Tensor t, Tensor w, long ignore, Reduction red, double ls,
                         Random r) {
        String what = (logits ? "cross_entropy " : "nll_loss ") + java.util.Arrays.toString(x.shape()) + " " + dt + " "
                + t.dtype() + " ignore " + ignore + (w == null ? "" : " weighted") + " " + red + " ls " + ls;
        Tensor upstream = red == Reduction.NONE ? uniform(r, dt, -1, 1, t.shape()) : null;
        Tensor[] fused = valueAndGrad(logits, true, x, t, w, ignore, red, ls, upstream);
        Tensor[] comp = valueAndGrad(logits, false, x, t, w, ignore, red, ls, upstream);
        assertClose(what + " value", comp[0], fused[0], atol(dt) * 10, rtol(dt) * 10);
        assertClose(what + " d input", comp[1], fused[1], atol(dt), rtol(dt) * 10);
    }

    private static Tensor[] valueAndGrad(boolean logits, boolean fused, Tensor x0, Tensor t, Tensor w, long ignore,
                                         Reduction red, double ls, Tensor upstream) {
        Tensor x = x0.detach().copy().requiresGrad(true);
        Tensor v = run(logits, fused, x, t, w, ignore, red, ls);
        if (upstream == null) v.backward();
        else v.backward(upstream);
        return new Tensor[] {v.detach(), x.grad()};
    }

    @OnEachBackend
    void everySampleIgnoredAveragesToNaNAsPyTorch(BackendUnderTest on) {
        Tensor x = uniform(new Random(1), DType.FLOAT64, -1, 1, 2, C);
        Tensor t = ints(DType.INT64, new long[] {-100, -100}, 2);
        double v = run(true, false, x, t, null, -100, Reduction.MEAN, 0).item();
        assertTrue(Double.isNaN(v), "mean over no sample: " + v);
    }

    @OnEachBackend
    void aTargetOutOfRangeNamesTheLoss(BackendUnderTest on) {
        Tensor x = uniform(new Random(1), DType.FLOAT32, -1, 1, 2, C);
        Tensor t = ints(DType.INT64, new long[] {1, C}, 2);
        for (boolean logits : new boolean[] {true, false}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> run(logits, false, x, t, null, -100, Reduction.MEAN, 0));
            assertTrue(e.getMessage().startsWith(logits ? "cross_entropy:" : "nll_loss:")
                    && e.getMessage().contains("index " + C), e.getMessage());
        }
    }

    @OnEachBackend
    void compositeGradientsPassFiniteDifferences(BackendUnderTest on) {
        Random r = new Random(12);
        Tensor weight = uniform(r, DType.FLOAT64, 0.2, 3, C);
        for (int[] shape : new int[][] {{4, C}, {2, C, 3}}) {
            Tensor t = targets(r, shape, DType.INT64, -100);
            for (Tensor w : new Tensor[] {null, weight}) {
                for (Reduction red : REDUCTIONS) {
                    for (double ls : new double[] {0, 0.2}) {
                        Tensor x = uniform(r, DType.FLOAT64, -3, 3, shape).requiresGrad(true);
                        GradCheck.check(in -> run(true, false, in[0], t, w, -100, red, ls), x);
                    }
                    Tensor lp = uniform(r, DType.FLOAT64, -3, 0, shape).requiresGrad(true);
                    GradCheck.check(in -> run(false, false, in[0], t, w, -100, red, 0), lp);
                }
            }
        }
    }
}

package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.Arrays;
import java.util.Random;

import static dev.myelin.backend.LossTest.normal;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Cross-entropy and NLL values against {@link LossReference}: class indices (weights, ignore_index,
 * label smoothing), class probabilities, [N, C], [N, C, H, W] and unbatched [C], every reduction;
 * the vectorized float32 kernel against the float64 one.
 */
class LossCrossEntropyTest {
    private static final long IGNORE = -100;
    private static final Reduction[] REDUCTIONS = {Reduction.NONE, Reduction.SUM, Reduction.MEAN};

    private static long[] targets(Random r, int n, int classes, int ignoredEvery) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = ignoredEvery > 0 && i % ignoredEvery == 1 ? IGNORE : r.nextInt(classes);
        return t;
    }

    /** The reduced reference: 'mean' divides by the weight sum stored at the end of per. */
    private static double reduce(double[] per, Reduction reduction) {
        int samples = per.length - 1;
        double sum = 0;
        for (int i = 0; i < samples; i++) sum += per[i];
        return reduction == Reduction.SUM ? sum : sum / per[samples];
    }

    private static void assertLoss(double[] per, Reduction reduction, Tensor out, int[] noneShape, double tol) {
        if (reduction == Reduction.NONE) {
            assertArrayEquals(noneShape, out.shape());
            assertArrayEquals(Arrays.copyOf(per, per.length - 1), out.toDoubleArray(), tol);
        } else {
            assertEquals(0, out.dim());
            assertEquals(reduce(per, reduction), out.item(), tol);
        }
    }

    @OnEachBackend
    void indexTargetsWithWeightsIgnoreIndexAndLabelSmoothing(BackendUnderTest on) {
        Random r = new Random(10);
        int n = 6, c = 5;
        double[] x = normal(r, n * c, 2);
        long[] t = targets(r, n, c, 3);
        double[] w = {0.5, 1.5, 1, 2, 0.25};
        for (double[] weight : new double[][] {null, w}) {
            for (double ls : new double[] {0, 0.2, 1}) {
                double[] per = LossReference.crossEntropy(x, t, weight, IGNORE, ls, n, c, 1);
                for (Reduction red : REDUCTIONS) {
                    Tensor out = F.crossEntropy(Tensor.of(x, n, c), Tensor.of(t, n), weight == null ? null
                            : Tensor.of(weight, c), IGNORE, red, ls);
                    assertLoss(per, red, out, new int[] {n}, 1e-12);
                }
            }
        }
    }

    @OnEachBackend
    void ignoreIndexInsideTheClassRangeIsIgnored(BackendUnderTest on) {
        Random r = new Random(11);
        double[] x = normal(r, 12, 1);
        long[] t = {0, 2, 1, 2};
        double[] per = LossReference.crossEntropy(x, t, null, 2, 0.1, 4, 3, 1);
        Tensor out = F.crossEntropy(Tensor.of(x, 4, 3), Tensor.of(t, 4), null, 2, Reduction.MEAN, 0.1);
        assertEquals(reduce(per, Reduction.MEAN), out.item(), 1e-12);
        assertEquals(2, per[4]);
    }

    @OnEachBackend
    void spatialInputsAndUnbatchedInput(BackendUnderTest on) {
        Random r = new Random(12);
        int n = 2, c = 4, h = 3, wd = 2, s = h * wd;
        double[] x = normal(r, n * c * s, 1.5);
        long[] t = targets(r, n * s, c, 4);
        double[] w = {1, 2, 0.5, 1.5};
        double[] per = LossReference.crossEntropy(x, t, w, IGNORE, 0.3, n, c, s);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
            for (Reduction red : REDUCTIONS) {
                Tensor out = F.crossEntropy(Tensor.of(x, n, c, h, wd).to(dtype), Tensor.of(t, n, h, wd),
                        Tensor.of(w, c).to(dtype), IGNORE, red, 0.3);
                assertLoss(per, red, out, new int[] {n, h, wd}, tol);
            }
        }
        double[] one = Arrays.copyOf(x, c);
        double[] perOne = LossReference.crossEntropy(one, new long[] {2}, null, IGNORE, 0, 1, c, 1);
        Tensor unbatched = F.crossEntropy(Tensor.of(one, c), Tensor.of(new long[] {2}), null, IGNORE,
                Reduction.NONE, 0);
        assertEquals(0, unbatched.dim());
        assertEquals(perOne[0], unbatched.item(), 1e-12);
    }

    @OnEachBackend
    void int32TargetsEqualInt64Targets(BackendUnderTest on) {
        Random r = new Random(13);
        double[] x = normal(r, 20, 1);
        Tensor a = F.crossEntropy(Tensor.of(x, 5, 4), Tensor.of(new long[] {0, 3, 1, 2, 3}, 5));
        Tensor b = F.crossEntropy(Tensor.of(x, 5, 4), Tensor.of(new int[] {0, 3, 1, 2, 3}, 5));
        assertEquals(a.item(), b.item(), 0);
    }

    @OnEachBackend
    void probabilityTargetsWithWeightsAndLabelSmoothing(BackendUnderTest on) {
        Random r = new Random(14);
        int n = 3, c = 4, s = 2;
        double[] x = normal(r, n * c * s, 1.5), p = new double[n * c * s];
        for (int i = 0; i < p.length; i++) p[i] = r.nextDouble();
        double[] w = {0.5, 2, 1, 1.5};
        for (double[] weight : new double[][] {null, w}) {
            for (double ls : new double[] {0, 0.25}) {
                double[] per = LossReference.crossEntropyProbs(x, p, weight, ls, n, c, s);
                double sum = Arrays.stream(per).sum();
                for (Reduction red : REDUCTIONS) {
                    Tensor out = F.crossEntropy(Tensor.of(x, n, c, s), Tensor.of(p, n, c, s),
                            weight == null ? null : Tensor.of(weight, c), IGNORE, red, ls);
                    switch (red) {
                        case NONE -> {
                            assertArrayEquals(new int[] {n, s}, out.shape());
                            assertArrayEquals(per, out.toDoubleArray(), 1e-12);
                        }
                        case SUM -> assertEquals(sum, out.item(), 1e-12);
                        default -> assertEquals(sum / (n * s), out.item(), 1e-12);
                    }
                }
            }
        }
    }

    @OnEachBackend
    void nllWithWeightsIgnoreAndSpatialDims(BackendUnderTest on) {
        Random r = new Random(15);
        int n = 4, c = 3, s = 2;
        double[] logp = normal(r, n * c * s, 1);
        long[] t = targets(r, n * s, c, 3);
        double[] w = {2, 0.5, 1};
        for (double[] weight : new double[][] {null, w}) {
            double[] per = LossReference.nll(logp, t, weight, IGNORE, n, c, s);
            for (Reduction red : REDUCTIONS) {
                Tensor out = F.nllLoss(Tensor.of(logp, n, c, s), Tensor.of(t, n, s),
                        weight == null ? null : Tensor.of(weight, c), IGNORE, red);
                assertLoss(per, red, out, new int[] {n, s}, 1e-12);
            }
        }
        double[] row = {-1.5, -0.25, -2};
        Tensor nll = F.nllLoss(Tensor.of(row, 3), Tensor.of(new long[] {1}), null, IGNORE, Reduction.MEAN);
        assertEquals(0.25, nll.item(), 0);
    }

    @OnEachBackend
    void vectorizedFloat32MatchesFloat64ForwardAndBackward(BackendUnderTest on) {
        Random r = new Random(16);
        for (int[] nc : new int[][] {{7, 37}, {3, 5}, {640, 80}}) {
            int n = nc[0], c = nc[1];
            double[] x = normal(r, n * c, 3);
            long[] t = targets(r, n, c, 5);
            double[] w = LossTest.uniform(r, c, 0.5, 2);
            for (double ls : new double[] {0, 0.15}) {
                double[] grads64 = null;
                double[] values64 = null;
                for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    Tensor logits = Tensor.of(x, n, c).to(dtype).requiresGrad(true);
                    Tensor loss = F.crossEntropy(logits, Tensor.of(t, n), Tensor.of(w, c).to(dtype), IGNORE,
                            Reduction.NONE, ls);
                    loss.backward(Tensor.full(0.5, dtype, n));
                    if (dtype == DType.FLOAT64) {
                        values64 = loss.toDoubleArray();
                        grads64 = logits.grad().toDoubleArray();
                        double[] per = LossReference.crossEntropy(x, t, w, IGNORE, ls, n, c, 1);
                        assertArrayEquals(Arrays.copyOf(per, n), values64, 1e-11);
                    } else {
                        assertArrayEquals(values64, loss.toDoubleArray(), 2e-5, n + "x" + c);
                        assertArrayEquals(grads64, logits.grad().toDoubleArray(), 2e-6, n + "x" + c);
                    }
                }
            }
        }
    }

    @OnEachBackend
    void largeLogitsDoNotOverflow(BackendUnderTest on) {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor logits = Tensor.of(new double[] {1000, 0, -1000, 5000, 5000, 5000}, 2, 3).to(dtype);
            double[] loss = F.crossEntropy(logits, Tensor.of(new long[] {1, 0}, 2), null, IGNORE, Reduction.NONE, 0)
                    .toDoubleArray();
            assertEquals(1000, loss[0], 1e-3, dtype.toString());
            assertEquals(Math.log(3), loss[1], 1e-6, dtype.toString());
        }
    }

    @OnEachBackend
    void stridedLogitsGiveTheSameLossAndGradient(BackendUnderTest on) {
        Random r = new Random(17);
        double[] x = normal(r, 24, 1);
        long[] t = {1, 0, 5, 2};
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor dense = Tensor.of(x, 4, 6).to(dtype).requiresGrad(true);
            Tensor base = Tensor.of(x, 4, 6).t().contiguous().to(dtype).requiresGrad(true);
            Tensor strided = base.t();
            assertFalse(strided.isContiguous());
            Tensor a = F.crossEntropy(dense, Tensor.of(t, 4), null, IGNORE, Reduction.MEAN, 0.1);
            Tensor b = F.crossEntropy(strided, Tensor.of(t, 4), null, IGNORE, Reduction.MEAN, 0.1);
            a.backward();
            b.backward();
            assertEquals(a.item(), b.item(), 1e-6);
            assertArrayEquals(dense.grad().toDoubleArray(), base.grad().t().contiguous().toDoubleArray(), 1e-7);
        }
    }

    @OnEachBackend
    void everySampleIgnoredGivesNaNMeanAndZeroGradient(BackendUnderTest on) {
        Tensor logits = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor loss = F.crossEntropy(logits, Tensor.of(new long[] {IGNORE, IGNORE}, 2));
        assertTrue(Double.isNaN(loss.item()));
        loss.backward();
        assertArrayEquals(new double[4], logits.grad().toDoubleArray(), 0);
        assertEquals(0, F.crossEntropy(logits, Tensor.of(new long[] {IGNORE, IGNORE}, 2), null, IGNORE,
                Reduction.SUM, 0.2).item());
    }

    @OnEachBackend
    void emptyBatchWithSumIsZero(BackendUnderTest on) {
        Tensor logits = Tensor.zeros(DType.FLOAT64, 0, 3);
        assertEquals(0, F.crossEntropy(logits, Tensor.zeros(DType.INT64, 0), null, IGNORE, Reduction.SUM, 0).item());
        assertArrayEquals(new int[] {0}, F.nllLoss(logits, Tensor.zeros(DType.INT64, 0), null, IGNORE,
                Reduction.NONE).shape());
    }
}

package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Losses.Pointwise;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import dev.myelin.testing.Parity;
import dev.myelin.testing.Parity.Pair;
import dev.myelin.testing.ParityWithCpu;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Loss values on each backend against {@link LossReference}, every reduction, float64 and float32; the
 * loss kernels (pointwise, cross-entropy, NLL with every option) against the CPU's.
 */
class LossTest {
    private static final Reduction[] REDUCTIONS = {Reduction.NONE, Reduction.SUM, Reduction.MEAN};

    interface LossFn {
        Tensor apply(Tensor input, Tensor target, Reduction reduction);
    }

    static double[] normal(Random r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextGaussian() * scale;
        return v;
    }

    static double[] uniform(Random r, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return v;
    }

    static Tensor tensor(double[] v, DType dtype, int... shape) {
        return Tensor.of(v, shape).to(dtype);
    }

    /** Checks fn against the elementwise reference ref for every reduction and both float dtypes. */
    static void checkPointwise(LossFn fn, DoubleBinaryOperator ref, double[] x, double[] t, int... shape) {
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) expected[i] = ref.applyAsDouble(x[i], t[i]);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double tol = dtype == DType.FLOAT64 ? 1e-12 : 2e-6;
            for (Reduction r : REDUCTIONS) {
                Tensor out = fn.apply(tensor(x, dtype, shape), tensor(t, dtype, shape), r);
                assertEquals(dtype, out.dtype());
                if (r == Reduction.NONE) {
                    assertArrayEquals(shape, out.shape());
                    double[] got = out.toDoubleArray();
                    for (int i = 0; i < x.length; i++) {
                        assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])),
                                r + " " + dtype + " [" + i + "]");
                    }
                } else {
                    assertEquals(0, out.dim());
                    double want = LossReference.reduce(expected, r, shape[0]);
                    assertEquals(want, out.item(), tol * Math.max(1, Math.abs(want)) * 4, r + " " + dtype);
                }
            }
        }
    }

    @OnEachBackend
    void mseL1SmoothL1AndHuberMatchTheirDefinitions(BackendUnderTest on) {
        Random r = new Random(1);
        double[] x = normal(r, 24, 1.5), t = normal(r, 24, 1.5);
        checkPointwise(F::mseLoss, LossReference::mse, x, t, 4, 6);
        checkPointwise(F::l1Loss, LossReference::l1, x, t, 4, 6);
        checkPointwise((a, b, red) -> F.smoothL1Loss(a, b, red, 0.8), (a, b) -> LossReference.smoothL1(a, b, 0.8),
                x, t, 4, 6);
        checkPointwise((a, b, red) -> F.smoothL1Loss(a, b, red, 0.0), (a, b) -> LossReference.smoothL1(a, b, 0.0),
                x, t, 2, 3, 4);
        checkPointwise((a, b, red) -> F.huberLoss(a, b, red, 1.3), (a, b) -> LossReference.huber(a, b, 1.3), x, t, 24);
    }

    @OnEachBackend
    void binaryCrossEntropiesMatchTheirDefinitions(BackendUnderTest on) {
        Random r = new Random(2);
        double[] p = uniform(r, 20, 0.02, 0.98), t = uniform(r, 20, 0, 1);
        t[0] = 0;
        t[1] = 1;
        checkPointwise((a, b, red) -> F.binaryCrossEntropy(a, b, null, red), LossReference::bce, p, t, 5, 4);
        double[] logits = normal(r, 20, 3);
        checkPointwise((a, b, red) -> F.binaryCrossEntropyWithLogits(a, b, null, null, red),
                (a, b) -> LossReference.bceWithLogits(a, b, 1), logits, t, 5, 4);
    }

    @OnEachBackend
    void binaryCrossEntropyWeightsBroadcast(BackendUnderTest on) {
        Random r = new Random(3);
        double[] p = uniform(r, 12, 0.05, 0.95), t = uniform(r, 12, 0, 1), w = uniform(r, 4, 0.5, 2);
        double[] pw = uniform(r, 4, 0.5, 3), logits = normal(r, 12, 2);
        Tensor bce = F.binaryCrossEntropy(Tensor.of(p, 3, 4), Tensor.of(t, 3, 4), Tensor.of(w, 4), Reduction.NONE);
        Tensor bcl = F.binaryCrossEntropyWithLogits(Tensor.of(logits, 3, 4), Tensor.of(t, 3, 4), Tensor.of(w, 4),
                Tensor.of(pw, 4), Reduction.NONE);
        double[] a = bce.toDoubleArray(), b = bcl.toDoubleArray();
        double sumA = 0, sumB = 0;
        for (int i = 0; i < 12; i++) {
            double wantA = w[i % 4] * LossReference.bce(p[i], t[i]);
            double wantB = w[i % 4] * LossReference.bceWithLogits(logits[i], t[i], pw[i % 4]);
            assertEquals(wantA, a[i], 1e-12);
            assertEquals(wantB, b[i], 1e-12);
            sumA += wantA;
            sumB += wantB;
        }
        assertEquals(sumA / 12, F.binaryCrossEntropy(Tensor.of(p, 3, 4), Tensor.of(t, 3, 4), Tensor.of(w, 4),
                Reduction.MEAN).item(), 1e-12);
        assertEquals(sumB, F.binaryCrossEntropyWithLogits(Tensor.of(logits, 3, 4), Tensor.of(t, 3, 4),
                Tensor.of(w, 4), Tensor.of(pw, 4), Reduction.SUM).item(), 1e-11);
    }

    @OnEachBackend
    void binaryCrossEntropyClampsLogAndLogitsFormIsStable(BackendUnderTest on) {
        double[] bce = F.binaryCrossEntropy(Tensor.of(new double[] {0, 1, 0, 1}, 4),
                Tensor.of(new double[] {1, 0, 0, 1}, 4), null, Reduction.NONE).toDoubleArray();
        assertArrayEquals(new double[] {100, 100, 0, 0}, bce, 1e-12);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double[] logits = F.binaryCrossEntropyWithLogits(tensor(new double[] {200, -200, 200, -200}, dtype, 4),
                    tensor(new double[] {0, 1, 1, 0}, dtype, 4), null, null, Reduction.NONE).toDoubleArray();
            assertArrayEquals(new double[] {200, 200, 0, 0}, logits, 1e-4, dtype.toString());
        }
    }

    @OnEachBackend
    void klDivergenceBothTargetKindsAndBatchMean(BackendUnderTest on) {
        Random r = new Random(4);
        double[] logp = new double[12], t = new double[12];
        for (int i = 0; i < 12; i++) {
            logp[i] = Math.log(0.05 + r.nextDouble());
            t[i] = r.nextDouble();
        }
        t[3] = 0;
        checkPointwise((a, b, red) -> F.klDiv(a, b, red, false), LossReference::klDiv, logp, t, 3, 4);
        double[] logT = new double[12];
        for (int i = 0; i < 12; i++) logT[i] = Math.log(0.05 + t[i]);
        checkPointwise((a, b, red) -> F.klDiv(a, b, red, true), LossReference::klDivLogTarget, logp, logT, 3, 4);
        double sum = 0;
        for (int i = 0; i < 12; i++) sum += LossReference.klDiv(logp[i], t[i]);
        Tensor batchMean = F.klDiv(Tensor.of(logp, 3, 4), Tensor.of(t, 3, 4), Reduction.BATCHMEAN, false);
        assertEquals(sum / 3, batchMean.item(), 1e-12);
        assertEquals(sum / 12, F.klDiv(Tensor.of(logp, 3, 4), Tensor.of(t, 3, 4), Reduction.MEAN, false).item(), 1e-12);
    }

    @OnEachBackend
    void stridedTargetIsReadInLogicalOrder(BackendUnderTest on) {
        Random r = new Random(5);
        double[] x = normal(r, 12, 1), t = normal(r, 12, 1);
        Tensor target = Tensor.of(t, 4, 3).t();
        double[] tt = target.contiguous().toDoubleArray();
        double[] got = F.mseLoss(Tensor.of(x, 3, 4), target, Reduction.NONE).toDoubleArray();
        for (int i = 0; i < 12; i++) assertEquals(LossReference.mse(x[i], tt[i]), got[i], 1e-12);
    }

    @OnEachBackend
    void l1AndSmoothL1WithBetaZeroHaveZeroGradientAtZero(BackendUnderTest on) {
        for (double beta : new double[] {-1, 0}) {
            Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
            Tensor t = Tensor.of(new double[] {1, 0, 4}, 3);
            Tensor loss = beta < 0 ? F.l1Loss(x, t, Reduction.SUM) : F.smoothL1Loss(x, t, Reduction.SUM, beta);
            loss.backward();
            assertArrayEquals(new double[] {0, 1, -1}, x.grad().toDoubleArray(), 0);
        }
    }

    @OnEachBackend
    void mseGradientReachesTargetWithTheOppositeSign(BackendUnderTest on) {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor t = Tensor.of(new double[] {0, 5}, 2).requiresGrad(true);
        F.mseLoss(x, t, Reduction.MEAN).backward();
        assertArrayEquals(new double[] {1, -3}, x.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-1, 3}, t.grad().toDoubleArray(), 1e-15);
    }

    @OnEachBackend
    void emptyBatchWithSumOrNoneFollowsPyTorch(BackendUnderTest on) {
        Tensor x = Tensor.zeros(DType.FLOAT64, 0, 3);
        assertEquals(0, F.mseLoss(x, Tensor.zeros(DType.FLOAT64, 0, 3), Reduction.SUM).item());
        assertArrayEquals(new int[] {0, 3}, F.l1Loss(x, Tensor.zeros(DType.FLOAT64, 0, 3), Reduction.NONE).shape());
    }

    // ------------------------------------------------------------------ the kernels against the CPU's

    @ParityWithCpu
    void pointwiseLossesAndGradients(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Pointwise k : Pointwise.values()) {
                boolean probabilities = k == Pointwise.BCE;
                Pair x = probabilities ? Parity.uniform(1, dt, 0.01, 0.99, 31, 17)
                        : Parity.uniform(1, dt, -3, 3, 31, 17);
                Pair t = (k == Pointwise.BCE || k == Pointwise.BCE_WITH_LOGITS || k == Pointwise.KL_DIV)
                        ? Parity.uniform(2, dt, 0, 1, 17, 31).map(v -> v.t())
                        : Parity.uniform(2, dt, -3, 3, 17, 31).map(v -> v.t());
                Pair pw = k == Pointwise.BCE_WITH_LOGITS
                        ? Parity.uniform(3, dt, 0.5, 2, 1, 17).map(v -> v.expand(31, 17)) : null;
                Pair out = Parity.poisoned(dt, 31, 17), gx = Parity.poisoned(dt, 31, 17);
                Pair g = Parity.uniform(4, dt, -1, 1, 1).map(v -> v.expand(31, 17));
                double param = k == Pointwise.SMOOTH_L1 || k == Pointwise.HUBER ? 0.7 : 0;
                Tensor pwCpu = pw == null ? null : pw.cpu(), pwTested = pw == null ? null : pw.tested();
                Parity.cpu().losses().pointwise(k, param, x.cpu(), t.cpu(), pwCpu, out.cpu());
                on.backend().losses().pointwise(k, param, x.tested(), t.tested(), pwTested, out.tested());
                Parity.assertClose(k + " " + dt, out);
                Parity.cpu().losses().pointwiseBackward(k, param, x.cpu(), t.cpu(), pwCpu, g.cpu(), gx.cpu());
                on.backend().losses().pointwiseBackward(k, param, x.tested(), t.tested(), pwTested, g.tested(),
                        gx.tested());
                Parity.assertClose(k + " backward " + dt, gx);
            }
        }
    }

    @ParityWithCpu
    void crossEntropyAndNllWithWeightsSmoothingAndIgnoredSamples(BackendUnderTest on) {
        int[][] shapes = {{64, 10, 1}, {3, 1001, 1}, {4, 5, 33}, {1, 2, 1}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (DType td : new DType[] {DType.INT32, DType.INT64}) {
                for (int[] s : shapes) {
                    int n = s[0], c = s[1], sp = s[2];
                    Pair logits = Parity.uniform(c, dt, -8, 8, s);
                    Pair targets = Parity.indices(n, td, c, n, sp);
                    long ignore = c > 2 ? 1 : -100;  // class 1 is ignored where it occurs
                    for (boolean weighted : new boolean[] {false, true}) {
                        Pair w = weighted ? Parity.uniform(7, dt, 0.2, 2, c) : null;
                        Tensor wCpu = w == null ? null : w.cpu(), wTested = w == null ? null : w.tested();
                        for (double ls : new double[] {0, 0.1}) {
                            String what = "cross_entropy " + dt + " " + td + " " + java.util.Arrays.toString(s)
                                    + (weighted ? " weighted" : "") + " ls " + ls;
                            Pair loss = Parity.poisoned(dt, n, sp), sw = Parity.poisoned(dt, n, sp);
                            Parity.cpu().losses().crossEntropy(logits.cpu(), targets.cpu(), wCpu, ignore, ls,
                                    loss.cpu(), sw.cpu());
                            on.backend().losses().crossEntropy(logits.tested(), targets.tested(), wTested, ignore, ls,
                                    loss.tested(), sw.tested());
                            Parity.assertClose(what, loss);
                            Parity.assertClose(what + " sample weights", sw);
                            Pair gl = Parity.uniform(5, dt, 0, 1, n, sp), gx = Parity.poisoned(dt, s);
                            Parity.cpu().losses().crossEntropyBackward(logits.cpu(), targets.cpu(), wCpu, ignore,
                                    ls, gl.cpu(), gx.cpu());
                            on.backend().losses().crossEntropyBackward(logits.tested(), targets.tested(), wTested,
                                    ignore, ls, gl.tested(), gx.tested());
                            Parity.assertClose(what + " backward", gx);
                        }
                        Pair loss = Parity.poisoned(dt, n, sp), sw = Parity.poisoned(dt, n, sp),
                                gx = Parity.poisoned(dt, s);
                        Parity.cpu().losses().nll(logits.cpu(), targets.cpu(), wCpu, ignore, loss.cpu(), sw.cpu());
                        on.backend().losses().nll(logits.tested(), targets.tested(), wTested, ignore, loss.tested(),
                                sw.tested());
                        Parity.assertClose("nll " + dt, loss);
                        Parity.assertClose("nll sample weights " + dt, sw);
                        Pair gl = Parity.uniform(6, dt, 0, 1, n, sp);
                        Parity.cpu().losses().nllBackward(targets.cpu(), wCpu, ignore, gl.cpu(), gx.cpu());
                        on.backend().losses().nllBackward(targets.tested(), wTested, ignore, gl.tested(), gx.tested());
                        Parity.assertClose("nll backward " + dt, gx);
                    }
                }
            }
        }
    }

    @ParityWithCpu
    void stridedLogitsMatch(BackendUnderTest on) {
        Pair logits = Parity.uniform(3, DType.FLOAT32, -5, 5, 7, 6, 5)
                .map(t -> t.transpose(0, 1));  // [6, 7, 5], strided
        Pair targets = Parity.indices(4, DType.INT64, 7, 5, 6).map(t -> t.t());
        Pair loss = Parity.poisoned(DType.FLOAT32, 6, 5), sw = Parity.poisoned(DType.FLOAT32, 6, 5);
        Parity.cpu().losses().crossEntropy(logits.cpu(), targets.cpu(), null, -100, 0.05, loss.cpu(), sw.cpu());
        on.backend().losses().crossEntropy(logits.tested(), targets.tested(), null, -100, 0.05, loss.tested(),
                sw.tested());
        Parity.assertClose("cross_entropy on strided logits and targets", loss);
    }

    @ParityWithCpu
    void anOutOfRangeTargetIsReportedAsTheCpuDoes(BackendUnderTest on) {
        Pair logits = Parity.uniform(1, DType.FLOAT32, -1, 1, 4, 3, 1);
        Pair targets = Parity.of(DType.INT64, new double[] {0, -100, 7, 3}, 4, 1);
        Pair loss = Parity.poisoned(DType.FLOAT32, 4, 1), sw = Parity.poisoned(DType.FLOAT32, 4, 1);
        var cpuError = assertThrows(IllegalArgumentException.class,
                () -> Parity.cpu().losses().crossEntropy(logits.cpu(), targets.cpu(), null, -100, 0,
                        loss.cpu(), sw.cpu()));
        var testedError = assertThrows(IllegalArgumentException.class,
                () -> on.backend().losses().crossEntropy(logits.tested(), targets.tested(), null, -100, 0,
                        loss.tested(), sw.tested()));
        assertEquals(cpuError.getMessage(), testedError.getMessage());
    }
}

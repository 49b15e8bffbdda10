package dev.myelin.backend;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.Random;

import static dev.myelin.backend.LossTest.normal;
import static dev.myelin.backend.LossTest.uniform;

/** Finite-difference gradient checks (float64) of every loss, under every reduction. */
class LossGradTest {
    private static final long IGNORE = -100;
    private static final Reduction[] REDUCTIONS = {Reduction.NONE, Reduction.SUM, Reduction.MEAN};

    private static Tensor leaf(double[] v, int... shape) {
        return Tensor.of(v, shape).requiresGrad(true);
    }

    /** Differences at least 0.1 away from 0 and from +-kink, where the losses are not differentiable. */
    private static double[][] awayFromKinks(Random r, int n, double kink) {
        double[] x = normal(r, n, 1), t = new double[n];
        for (int i = 0; i < n; i++) {
            double d = (0.1 + r.nextDouble() * 0.6) * (i % 2 == 0 ? 1 : -1);
            if (i % 3 == 0) d += Math.signum(d) * (kink + 0.1);
            t[i] = x[i] - d;
        }
        return new double[][] {x, t};
    }

    @OnEachBackend
    void regressionLossesInInputAndTarget(BackendUnderTest on) {
        Random r = new Random(20);
        double[][] xt = awayFromKinks(r, 12, 1.0);
        for (Reduction red : REDUCTIONS) {
            Tensor x = leaf(xt[0], 3, 4), t = leaf(xt[1], 3, 4);
            GradCheck.check(in -> F.mseLoss(in[0], in[1], red), x, t);
            GradCheck.check(in -> F.l1Loss(in[0], in[1], red), x, t);
            GradCheck.check(in -> F.smoothL1Loss(in[0], in[1], red, 1.0), x, t);
            GradCheck.check(in -> F.smoothL1Loss(in[0], in[1], red, 0.0), x, t);
            GradCheck.check(in -> F.huberLoss(in[0], in[1], red, 1.0), x, t);
        }
    }

    @OnEachBackend
    void binaryCrossEntropyWithWeight(BackendUnderTest on) {
        Random r = new Random(21);
        Tensor w = Tensor.of(uniform(r, 4, 0.5, 2), 4);
        Tensor t = Tensor.of(uniform(r, 12, 0, 1), 3, 4);
        for (Reduction red : REDUCTIONS) {
            Tensor p = leaf(uniform(r, 12, 0.05, 0.95), 3, 4);
            GradCheck.check(in -> F.binaryCrossEntropy(in[0], t, null, red), p);
            GradCheck.check(in -> F.binaryCrossEntropy(in[0], t, w, red), p);
        }
    }

    @OnEachBackend
    void binaryCrossEntropyWithLogitsWeightAndPosWeight(BackendUnderTest on) {
        Random r = new Random(22);
        Tensor w = Tensor.of(uniform(r, 12, 0.5, 2), 3, 4);
        Tensor pw = Tensor.of(uniform(r, 4, 0.3, 3), 4);
        Tensor t = Tensor.of(uniform(r, 12, 0, 1), 3, 4);
        for (Reduction red : REDUCTIONS) {
            Tensor x = leaf(normal(r, 12, 3), 3, 4);
            GradCheck.check(in -> F.binaryCrossEntropyWithLogits(in[0], t, null, null, red), x);
            GradCheck.check(in -> F.binaryCrossEntropyWithLogits(in[0], t, w, pw, red), x);
        }
    }

    @OnEachBackend
    void klDivergenceBothTargetKinds(BackendUnderTest on) {
        Random r = new Random(23);
        double[] t = uniform(r, 12, 0, 1), logT = new double[12];
        t[5] = 0;
        for (int i = 0; i < 12; i++) logT[i] = Math.log(0.1 + t[i]);
        for (Reduction red : new Reduction[] {Reduction.NONE, Reduction.SUM, Reduction.MEAN, Reduction.BATCHMEAN}) {
            Tensor x = leaf(normal(r, 12, 1), 3, 4);
            GradCheck.check(in -> F.klDiv(in[0], Tensor.of(t, 3, 4), red, false), x);
            GradCheck.check(in -> F.klDiv(in[0], Tensor.of(logT, 3, 4), red, true), x);
        }
    }

    @OnEachBackend
    void crossEntropyWithWeightsIgnoreIndexAndLabelSmoothing(BackendUnderTest on) {
        Random r = new Random(24);
        Tensor t = Tensor.of(new long[] {0, IGNORE, 3, 2, 1}, 5);
        Tensor w = Tensor.of(new double[] {0.5, 2, 1, 1.5}, 4);
        for (Reduction red : REDUCTIONS) {
            for (double ls : new double[] {0, 0.3}) {
                Tensor x = leaf(normal(r, 20, 2), 5, 4);
                GradCheck.check(in -> F.crossEntropy(in[0], t, w, IGNORE, red, ls), x);
                GradCheck.check(in -> F.crossEntropy(in[0], t, null, IGNORE, red, ls), x);
            }
        }
    }

    @OnEachBackend
    void crossEntropyOnImagesAndUnbatched(BackendUnderTest on) {
        Random r = new Random(25);
        Tensor t = Tensor.of(new long[] {0, 2, IGNORE, 1, 1, 0, 2, 2}, 2, 2, 2);
        Tensor w = Tensor.of(new double[] {1, 0.5, 2}, 3);
        for (Reduction red : REDUCTIONS) {
            Tensor x = leaf(normal(r, 24, 1.5), 2, 3, 2, 2);
            GradCheck.check(in -> F.crossEntropy(in[0], t, w, IGNORE, red, 0.2), x);
        }
        Tensor one = leaf(normal(r, 4, 1), 4);
        GradCheck.check(in -> F.crossEntropy(in[0], Tensor.of(new long[] {3}), null, IGNORE, Reduction.NONE, 0.1), one);
    }

    @OnEachBackend
    void crossEntropyWithProbabilitiesInInputAndTarget(BackendUnderTest on) {
        Random r = new Random(26);
        Tensor w = Tensor.of(new double[] {1, 0.5, 2}, 3);
        for (Reduction red : REDUCTIONS) {
            Tensor x = leaf(normal(r, 12, 1.5), 4, 3);
            Tensor p = leaf(uniform(r, 12, 0, 1), 4, 3);
            GradCheck.check(in -> F.crossEntropy(in[0], in[1], w, IGNORE, red, 0.2), x, p);
            Tensor img = leaf(normal(r, 24, 1), 2, 3, 2, 2);
            Tensor pImg = Tensor.of(uniform(r, 24, 0, 1), 2, 3, 2, 2);
            GradCheck.check(in -> F.crossEntropy(in[0], pImg, null, IGNORE, red, 0), img);
        }
    }

    @OnEachBackend
    void nllWithWeightsAndIgnoreIndex(BackendUnderTest on) {
        Random r = new Random(27);
        Tensor t = Tensor.of(new long[] {2, IGNORE, 0, 1, 1, 2}, 3, 2);
        Tensor w = Tensor.of(new double[] {0.5, 2, 1}, 3);
        for (Reduction red : REDUCTIONS) {
            Tensor x = leaf(normal(r, 18, 1), 3, 3, 2);
            GradCheck.check(in -> F.nllLoss(in[0], t, w, IGNORE, red), x);
        }
    }
}

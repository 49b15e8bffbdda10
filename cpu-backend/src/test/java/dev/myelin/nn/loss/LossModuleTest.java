package dev.myelin.nn.loss;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Loss modules compute their functional counterparts; penalties select weights; distillation's limits. */
class LossModuleTest {
    private static final Tensor X = Tensor.of(new double[] {0.2, -1.0, 0.7, 1.5, 0.1, -0.3}, 2, 3);
    private static final Tensor P = Tensor.of(new double[] {0.2, 0.9, 0.5, 0.4, 0.1, 0.7}, 2, 3);
    private static final Tensor LABELS = Tensor.of(new long[] {2, 0}, 2);

    private static void assertSame(Tensor expected, Loss loss, Tensor input, Tensor target) {
        assertArrayEquals(expected.toDoubleArray(), loss.forward(input, target).toDoubleArray(), 0);
    }

    @Test
    void modulesMatchTheFunctionalApi() {
        assertSame(F.mseLoss(X, P), new MSELoss(), X, P);
        assertSame(F.l1Loss(X, P, Reduction.SUM), new L1Loss(Reduction.SUM), X, P);
        assertSame(F.smoothL1Loss(X, P, Reduction.MEAN, 0.5), new SmoothL1Loss(Reduction.MEAN, 0.5), X, P);
        assertSame(F.huberLoss(X, P, Reduction.NONE, 0.5), new HuberLoss(Reduction.NONE, 0.5), X, P);
        assertSame(F.crossEntropy(X, LABELS, null, -100, Reduction.MEAN, 0.1), new CrossEntropyLoss(0.1), X, LABELS);
        assertSame(F.nllLoss(F.logSoftmax(X, 1), LABELS, null, -100, Reduction.MEAN), new NLLLoss(), F.logSoftmax(X, 1),
                LABELS);
        assertSame(F.binaryCrossEntropy(P, P.mul(0.5), null, Reduction.MEAN), new BCELoss(), P, P.mul(0.5));
        assertSame(F.binaryCrossEntropyWithLogits(X, P, null, null, Reduction.MEAN), new BCEWithLogitsLoss(), X, P);
        assertSame(F.klDiv(F.logSoftmax(X, 1), P, Reduction.BATCHMEAN, false),
                new KLDivLoss(Reduction.BATCHMEAN, false), F.logSoftmax(X, 1), P);
    }

    @Test
    void weightsOfSkipsBiasesAndNormalization() {
        Linear a = new Linear(3, 4, true, DType.FLOAT64), b = new Linear(4, 2, true, DType.FLOAT64);
        Sequential m = new Sequential(a, new BatchNorm1d(4), b);
        List<Tensor> w = Penalty.weightsOf(m);
        assertEquals(2, w.size());
        assertEquals(a.weight, w.get(0));
        assertEquals(b.weight, w.get(1));
        double expected = 0.5 * 0.01 * (a.weight.square().sum().item() + b.weight.square().sum().item());
        assertEquals(expected, Penalty.l2(0.01, w).compute().item(), 1e-12);
        RegularizedLoss loss = new RegularizedLoss(new MSELoss(), Penalty.l2(0.01, w));
        assertEquals(expected, loss.penaltyValue(), 1e-12);
    }

    @Test
    void distillationAtAlphaZeroIsTheHardLossAndTeacherGetsNoGradient() {
        Tensor student = X.copy().requiresGrad(true);
        Tensor teacher = P.copy().requiresGrad(true);
        assertEquals(F.crossEntropy(X, LABELS).item(),
                new DistillationLoss(4, 0).forward(student, teacher, LABELS).item(), 1e-15);
        new DistillationLoss(4, 0.7).forward(student, teacher, LABELS).backward();
        assertEquals(null, teacher.grad());
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(2, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> new DistillationLoss(2, 0.5).forward(X, Tensor.zeros(DType.FLOAT64, 2, 4), LABELS));
    }
}

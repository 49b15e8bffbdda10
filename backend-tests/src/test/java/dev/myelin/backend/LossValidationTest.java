package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.*;

/** Bad arguments raise IllegalArgumentException naming the op, the argument and the shapes. */
class LossValidationTest {
    private static final long IGNORE = -100;

    private static void fails(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "missing \"" + f + "\" in: " + e.getMessage());
        }
    }

    private static Tensor logits(int... shape) {
        return Tensor.zeros(DType.FLOAT64, shape);
    }

    @OnEachBackend
    void classIndexTargetOfTheWrongShape(BackendUnderTest on) {
        fails(() -> F.crossEntropy(logits(3, 5), Tensor.of(new long[] {0, 1, 2, 3}, 4)),
                "cross_entropy", "'target'", "[3]", "[3, 5]", "[4]");
        fails(() -> F.crossEntropy(logits(2, 3, 4, 4), Tensor.zeros(DType.INT64, 2, 4, 3), null, IGNORE,
                Reduction.MEAN, 0), "cross_entropy", "[2, 4, 4]", "[2, 4, 3]");
        fails(() -> F.nllLoss(logits(3, 5), Tensor.zeros(DType.INT64, 3, 1), null, IGNORE, Reduction.MEAN),
                "nll_loss", "[3]", "[3, 1]");
        fails(() -> F.crossEntropy(logits(5), Tensor.zeros(DType.INT64, 1)), "cross_entropy", "[]", "[5]");
        fails(() -> F.crossEntropy(Tensor.scalar(1, DType.FLOAT64), Tensor.zeros(DType.INT64)), "cross_entropy",
                "'input'", "[]");
    }

    @OnEachBackend
    void pointwiseTargetOfAnotherShapeIsRefused(BackendUnderTest on) {
        Tensor x = logits(3, 4);
        fails(() -> F.mseLoss(x, logits(4)), "mse_loss", "[4]", "[3, 4]");
        fails(() -> F.l1Loss(x, logits(1, 4), Reduction.SUM), "l1_loss", "[1, 4]");
        fails(() -> F.klDiv(x, logits(3, 1), Reduction.BATCHMEAN, false), "kl_div", "[3, 1]");
        fails(() -> F.binaryCrossEntropy(x, logits(4, 3), null, Reduction.MEAN), "binary_cross_entropy", "[4, 3]");
        fails(() -> F.binaryCrossEntropyWithLogits(x, logits(12), null, null, Reduction.MEAN),
                "binary_cross_entropy_with_logits", "[12]");
    }

    @OnEachBackend
    void targetOfTheWrongDtype(BackendUnderTest on) {
        fails(() -> F.crossEntropy(logits(3, 5), Tensor.zeros(DType.FLOAT64, 3)), "cross_entropy", "int32 or int64",
                "FLOAT64", "[3]");
        fails(() -> F.crossEntropy(logits(3, 5), Tensor.zeros(DType.INT64, 3, 5)), "cross_entropy",
                "class probabilities", "INT64", "[3, 5]");
        fails(() -> F.nllLoss(logits(3, 5), Tensor.zeros(DType.FLOAT64, 3), null, IGNORE, Reduction.MEAN),
                "nll_loss", "int32 or int64", "FLOAT64");
        fails(() -> F.mseLoss(logits(3), Tensor.zeros(DType.FLOAT32, 3)), "mse_loss", "'target'", "FLOAT32",
                "FLOAT64");
        fails(() -> F.crossEntropy(logits(3, 5), Tensor.zeros(DType.FLOAT32, 3, 5)), "cross_entropy", "FLOAT32");
        fails(() -> F.mseLoss(Tensor.zeros(DType.INT64, 3), Tensor.zeros(DType.INT64, 3)), "mse_loss", "'input'");
    }

    @OnEachBackend
    void weightOfTheWrongLengthOrShape(BackendUnderTest on) {
        Tensor t = Tensor.of(new long[] {0, 1, 2}, 3);
        fails(() -> F.crossEntropy(logits(3, 5), t, logits(4), IGNORE, Reduction.MEAN, 0), "cross_entropy",
                "'weight'", "[5]", "[3, 5]", "[4]");
        fails(() -> F.crossEntropy(logits(3, 5), logits(3, 5), logits(5, 1), IGNORE, Reduction.MEAN, 0),
                "cross_entropy", "'weight'", "[5, 1]");
        fails(() -> F.nllLoss(logits(3, 5), t, logits(6), IGNORE, Reduction.MEAN), "nll_loss", "'weight'", "[6]");
        fails(() -> F.binaryCrossEntropy(logits(3, 4), logits(3, 4), logits(3), Reduction.MEAN),
                "binary_cross_entropy", "'weight'", "[3]", "[3, 4]");
        fails(() -> F.binaryCrossEntropyWithLogits(logits(3, 4), logits(3, 4), null, logits(2), Reduction.MEAN),
                "binary_cross_entropy_with_logits", "'pos_weight'", "[2]", "[3, 4]");
    }

    @OnEachBackend
    void emptyBatchWithMeanIsRefused(BackendUnderTest on) {
        fails(() -> F.crossEntropy(logits(0, 5), Tensor.zeros(DType.INT64, 0)), "cross_entropy", "empty batch",
                "[0, 5]");
        fails(() -> F.crossEntropy(logits(0, 5), logits(0, 5)), "cross_entropy", "empty batch");
        fails(() -> F.nllLoss(logits(0, 2, 3), Tensor.zeros(DType.INT64, 0, 3), null, IGNORE, Reduction.MEAN),
                "nll_loss", "empty batch");
        fails(() -> F.mseLoss(logits(0, 3), logits(0, 3)), "mse_loss", "empty batch", "[0, 3]");
        fails(() -> F.klDiv(logits(0, 3), logits(0, 3), Reduction.BATCHMEAN, false), "kl_div", "empty batch");
        fails(() -> F.crossEntropy(logits(4, 0), Tensor.zeros(DType.INT64, 4)), "cross_entropy", "no classes");
    }

    @OnEachBackend
    void nanInTargetIsRefused(BackendUnderTest on) {
        double nan = Double.NaN;
        Tensor x = logits(2, 2);
        Tensor t = Tensor.of(new double[] {0.5, nan, 0.1, 0.2}, 2, 2);
        fails(() -> F.mseLoss(x, t), "mse_loss", "'target' contains NaN", "[2, 2]");
        fails(() -> F.mseLoss(x, t, Reduction.NONE), "mse_loss", "'target' contains NaN");
        fails(() -> F.crossEntropy(x, t, null, IGNORE, Reduction.NONE, 0), "cross_entropy", "contains NaN");
        fails(() -> F.huberLoss(x, t, Reduction.SUM, 1), "huber_loss", "contains NaN");
        fails(() -> F.binaryCrossEntropy(Tensor.full(0.5, DType.FLOAT64, 2, 2), t, null, Reduction.MEAN),
                "binary_cross_entropy", "contains NaN");
        fails(() -> F.binaryCrossEntropyWithLogits(x, t, null, null, Reduction.MEAN),
                "binary_cross_entropy_with_logits", "contains NaN");
        fails(() -> F.klDiv(x, t, Reduction.BATCHMEAN, false), "kl_div", "contains NaN");
        fails(() -> F.crossEntropy(x, t, null, IGNORE, Reduction.MEAN, 0), "cross_entropy", "contains NaN");
        // +inf and -inf sum to NaN, but neither is NaN: accepted.
        Tensor infinities = Tensor.of(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, 0}, 2, 2);
        assertEquals(Double.POSITIVE_INFINITY, F.mseLoss(x, infinities, Reduction.SUM).item());
        assertEquals(Double.POSITIVE_INFINITY, F.mseLoss(x, infinities, Reduction.NONE).toDoubleArray()[1]);
        // A NaN in the input is not refused: the loss is NaN, as in PyTorch.
        Tensor nanInput = Tensor.of(new double[] {nan, 0, 0, 0}, 2, 2);
        assertTrue(Double.isNaN(F.mseLoss(nanInput, Tensor.zeros(DType.FLOAT64, 2, 2)).item()));
    }

    @OnEachBackend
    void bceInputOutsideZeroOne(BackendUnderTest on) {
        Tensor t = Tensor.full(0.5, DType.FLOAT64, 3);
        for (double bad : new double[] {1.5, -0.1, Double.NaN}) {
            Tensor p = Tensor.of(new double[] {0.2, bad, 0.7}, 3);
            for (Reduction red : new Reduction[] {Reduction.MEAN, Reduction.NONE}) {
                fails(() -> F.binaryCrossEntropy(p, t, null, red), "binary_cross_entropy", "'input'", "[0, 1]", "[3]");
            }
        }
    }

    @OnEachBackend
    void labelSmoothingOutsideZeroOne(BackendUnderTest on) {
        Tensor t = Tensor.of(new long[] {0, 1}, 2);
        for (double ls : new double[] {-0.1, 1.5, Double.NaN}) {
            fails(() -> F.crossEntropy(logits(2, 3), t, null, IGNORE, Reduction.MEAN, ls), "cross_entropy",
                    "'label_smoothing'");
        }
    }

    @OnEachBackend
    void classIndexOutOfRange(BackendUnderTest on) {
        fails(() -> F.crossEntropy(logits(3, 5), Tensor.of(new long[] {0, 5, 1}, 3)), "cross_entropy", "target 5",
                "C = 5");
        fails(() -> F.crossEntropy(logits(3, 5).to(DType.FLOAT32), Tensor.of(new int[] {0, -1, 1}, 3)),
                "cross_entropy", "target -1", "C = 5");
        fails(() -> F.nllLoss(logits(2, 3, 2), Tensor.of(new long[] {0, 1, 2, 3}, 2, 2), null, IGNORE, Reduction.SUM),
                "nll_loss", "target 3", "C = 3");
    }

    @OnEachBackend
    void otherBadParameters(BackendUnderTest on) {
        Tensor x = logits(3), t = logits(3);
        fails(() -> F.mseLoss(x, t, Reduction.BATCHMEAN), "mse_loss", "BATCHMEAN");
        fails(() -> F.crossEntropy(logits(3, 2), Tensor.zeros(DType.INT64, 3), null, IGNORE, Reduction.BATCHMEAN, 0),
                "cross_entropy", "BATCHMEAN");
        fails(() -> F.mseLoss(x, t, null), "mse_loss", "'reduction'");
        fails(() -> F.smoothL1Loss(x, t, Reduction.MEAN, -1), "smooth_l1_loss", "'beta'");
        fails(() -> F.huberLoss(x, t, Reduction.MEAN, 0), "huber_loss", "'delta'");
        fails(() -> F.crossEntropy(logits(2, 3), logits(2, 3), null, 0, Reduction.MEAN, 0), "cross_entropy",
                "'ignore_index'", "[2, 3]");
    }
}

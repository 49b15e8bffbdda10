package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.nn.loss.BCEWithLogitsLoss;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.nn.loss.DistillationLoss;
import dev.myelin.nn.loss.HuberLoss;
import dev.myelin.nn.loss.NLLLoss;
import dev.myelin.nn.loss.Penalty;
import dev.myelin.nn.loss.SmoothL1Loss;
import dev.myelin.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NaN, +Inf and -Inf are refused for every scalar option of the layers, the losses, the
 * functional ops behind them and the initializers, with a message naming the class or op, the
 * argument and the value.
 */
class NonFiniteArgumentTest {
    private static final double[] NON_FINITE = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    /** An argument: who takes it (as its message names it), its name, and a call that passes the value. */
    private record Argument(String owner, String name, DoubleConsumer call) {
        @Override
        public String toString() {
            return owner + " " + name;
        }
    }

    private static Tensor x() {
        return Tensor.of(new double[] {0.5, -1, 2, 0.25, 1, -0.5}, 2, 3);
    }

    private static Tensor labels() {
        return Tensor.of(new long[] {0, 2}, 2);
    }

    private static Tensor weights(double v) {
        return Tensor.of(new double[] {1, v, 1}, 3);
    }

    private static final List<Argument> ARGUMENTS = List.of(
            // layers and their functional ops
            new Argument("Dropout", "p", v -> new Dropout(v)),
            new Argument("Dropout2d", "p", v -> new Dropout2d(v)),
            new Argument("dropout", "p", v -> F.dropout(x(), v, true)),
            new Argument("LeakyReLU", "negative_slope", v -> new LeakyReLU(v)),
            new Argument("leaky_relu", "negative_slope", v -> F.leakyRelu(x(), v)),
            new Argument("BatchNorm1d", "eps", v -> new BatchNorm1d(3, BatchNorm.options().eps(v))),
            new Argument("BatchNorm1d", "momentum", v -> new BatchNorm1d(3, BatchNorm.options().momentum(v))),
            new Argument("BatchNorm2d", "eps", v -> new BatchNorm2d(3, BatchNorm.options().eps(v))),
            new Argument("BatchNorm2d", "momentum", v -> new BatchNorm2d(3, BatchNorm.options().momentum(v))),
            new Argument("batch_norm", "eps", v -> F.batchNorm(x(), null, null, null, null, true, 0.1, v)),
            new Argument("batch_norm", "momentum", v -> F.batchNorm(x(), Tensor.zeros(DType.FLOAT64, 3),
                    Tensor.ones(DType.FLOAT64, 3), null, null, true, v, 1e-5)),
            new Argument("LayerNorm", "eps", v -> new LayerNorm(new int[] {3}, v, true, DType.FLOAT32)),
            new Argument("layer_norm", "eps", v -> F.layerNorm(x(), new int[] {3}, null, null, v)),
            // initializers
            new Argument("uniform_", "a", v -> Init.uniform(Tensor.empty(4), v, 1)),
            new Argument("uniform_", "b", v -> Init.uniform(Tensor.empty(4), -1, v)),
            new Argument("normal_", "mean", v -> Init.normal(Tensor.empty(4), v, 1)),
            new Argument("normal_", "std", v -> Init.normal(Tensor.empty(4), 0, v)),
            new Argument("xavier_uniform_", "gain", v -> Init.xavierUniform(Tensor.empty(4, 4), v)),
            new Argument("xavier_normal_", "gain", v -> Init.xavierNormal(Tensor.empty(4, 4), v)),
            new Argument("kaiming_uniform_", "a", v -> Init.kaimingUniform(Tensor.empty(4, 4), v, Init.FanMode.FAN_IN,
                    "leaky_relu")),
            new Argument("kaiming_normal_", "a", v -> Init.kaimingNormal(Tensor.empty(4, 4), v, Init.FanMode.FAN_IN,
                    "leaky_relu")),
            new Argument("calculate_gain", "param", v -> Init.calculateGain("leaky_relu", v)),
            // losses
            new Argument("SmoothL1Loss", "beta", v -> new SmoothL1Loss(Reduction.MEAN, v)),
            new Argument("smooth_l1_loss", "beta", v -> F.smoothL1Loss(x(), x(), Reduction.MEAN, v)),
            new Argument("HuberLoss", "delta", v -> new HuberLoss(Reduction.MEAN, v)),
            new Argument("huber_loss", "delta", v -> F.huberLoss(x(), x(), Reduction.MEAN, v)),
            new Argument("CrossEntropyLoss", "label_smoothing", v -> new CrossEntropyLoss(v)),
            new Argument("cross_entropy", "label_smoothing", v -> F.crossEntropy(x(), labels(), null, -100,
                    Reduction.MEAN, v)),
            new Argument("CrossEntropyLoss", "weight", v -> new CrossEntropyLoss(weights(v), -100, Reduction.MEAN, 0)),
            new Argument("NLLLoss", "weight", v -> new NLLLoss(weights(v), -100, Reduction.MEAN)),
            new Argument("BCEWithLogitsLoss", "weight", v -> new BCEWithLogitsLoss(weights(v), null, Reduction.MEAN)),
            new Argument("BCEWithLogitsLoss", "pos_weight",
                    v -> new BCEWithLogitsLoss(null, weights(v), Reduction.MEAN)),
            new Argument("DistillationLoss", "temperature", v -> new DistillationLoss(v, 0.5)),
            new Argument("DistillationLoss", "alpha", v -> new DistillationLoss(2, v)),
            new Argument("Penalty", "l1", v -> Penalty.l1(v, List.of(x()))),
            new Argument("Penalty", "l2", v -> Penalty.l2(v, List.of(x()))),
            new Argument("Penalty", "l1", v -> Penalty.elasticNet(v, 0.1, List.of(x()))),
            new Argument("Penalty", "l2", v -> Penalty.elasticNet(0.1, v, List.of(x()))));

    static Stream<Arguments> arguments() {
        return ARGUMENTS.stream().flatMap(a -> Arrays.stream(NON_FINITE).mapToObj(v -> Arguments.of(a, v)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("arguments")
    void rejected(Argument argument, double value) {
        var e = assertThrows(IllegalArgumentException.class, () -> argument.call().accept(value));
        String m = e.getMessage();
        assertTrue(m.startsWith(argument.owner() + ":"),
                () -> "expected the message to start with " + argument.owner() + ": " + m);
        assertTrue(m.contains(argument.name()), () -> "expected the argument " + argument.name() + " in: " + m);
        assertTrue(m.contains(Double.toString(value)), () -> "expected the value " + value + " in: " + m);
    }
}

package dev.myelin.nn;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.ops.Checks;
import dev.myelin.ops.Creation;
import dev.myelin.random.Generator;

/**
 * Weight initializers, in place, as torch.nn.init. Draws come from the default generator
 * ({@link dev.myelin.Myelin#manualSeed}) unless one is given (PyTorch's {@code generator=}; null
 * also means the default one), so a seed reproduces a model's initial weights on every backend.
 * An initializer given its own generator leaves the default one where it was.
 */
public final class Init {
    private Init() {
    }

    /** Which fan Kaiming initialization preserves: the forward pass's (fan_in) or the backward pass's (fan_out). */
    public enum FanMode { FAN_IN, FAN_OUT }

    /**
     * torch.nn.init.calculate_gain: "linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu" (param = slope),
     * "selu".
     */
    public static double calculateGain(String nonlinearity, double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2);
            case "leaky_relu" -> {
                Checks.finite("calculate_gain", "param", param);
                yield Math.sqrt(2 / (1 + param * param));
            }
            case "selu" -> 3.0 / 4;
            default ->
                    throw new IllegalArgumentException("calculate_gain: unsupported nonlinearity \"" + nonlinearity
                            + "\"");
        };
    }

    public static Tensor uniform(Tensor t, double lo, double hi, Generator gen) {
        Checks.finite("uniform_", "a", lo);
        Checks.finite("uniform_", "b", hi);
        if (!(lo <= hi)) throw new IllegalArgumentException("uniform_: expects a <= b, got a=" + lo + ", b=" + hi);
        return fill(t, Creation.uniform(t.backend(), t.dtype(), lo, hi, gen, t.shape()));
    }

    public static Tensor uniform(Tensor t, double lo, double hi) {
        return uniform(t, lo, hi, null);
    }

    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        Checks.finite("normal_", "mean", mean);
        Checks.finiteNonNegative("normal_", "std", std);
        return fill(t, Creation.normal(t.backend(), t.dtype(), mean, std, gen, t.shape()));
    }

    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, null);
    }

    public static Tensor constant(Tensor t, double value) {
        try (var ignored = GradMode.noGrad()) {
            return t.fill(value);
        }
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** Glorot uniform: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator gen) {
        Checks.finiteNonNegative("xavier_uniform_", "gain", gain);
        double std = gain * Math.sqrt(2.0 / (fanIn("xavier_uniform_", t) + fanOut("xavier_uniform_", t)));
        return uniform(t, -Math.sqrt(3) * std, Math.sqrt(3) * std, gen);
    }

    public static Tensor xavierUniform(Tensor t, double gain) {
        return xavierUniform(t, gain, null);
    }

    /** Glorot normal: N(0, gain^2 * 2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain, Generator gen) {
        Checks.finiteNonNegative("xavier_normal_", "gain", gain);
        double std = gain * Math.sqrt(2.0 / (fanIn("xavier_normal_", t) + fanOut("xavier_normal_", t)));
        return normal(t, 0, std, gen);
    }

    public static Tensor xavierNormal(Tensor t, double gain) {
        return xavierNormal(t, gain, null);
    }

    /**
     * PyTorch's reset_parameters of Linear and ConvNd: Kaiming uniform with a = sqrt(5) on the
     * weight, then U(-1/sqrt(fan_in), 1/sqrt(fan_in)) on the bias (if any), both from {@code gen}
     * (null for the default generator), weight first.
     */
    public static void layerDefault(Tensor weight, Tensor bias, Generator gen) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, "leaky_relu", gen);
        if (bias == null) return;
        double bound = 1 / Math.sqrt(fanIn("reset_parameters", weight));
        uniform(bias, -bound, bound, gen);
    }

    /** He uniform: U(-b, b) with b = gain * sqrt(3 / fan), gain from {@link #calculateGain}(nonlinearity, a). */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
        Checks.finite("kaiming_uniform_", "a", a);
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan("kaiming_uniform_", t, mode));
        return uniform(t, -Math.sqrt(3) * std, Math.sqrt(3) * std, gen);
    }

    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, String nonlinearity) {
        return kaimingUniform(t, a, mode, nonlinearity, null);
    }

    /** He normal: N(0, gain^2 / fan). */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity, Generator gen) {
        Checks.finite("kaiming_normal_", "a", a);
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan("kaiming_normal_", t, mode));
        return normal(t, 0, std, gen);
    }

    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, String nonlinearity) {
        return kaimingNormal(t, a, mode, nonlinearity, null);
    }

    /** Inputs per output unit: dim 1 times the receptive field (kernel elements). */
    public static long fanIn(String op, Tensor t) {
        requireMatrix(op, t);
        return t.size(1) * receptiveField(t);
    }

    public static long fanOut(String op, Tensor t) {
        requireMatrix(op, t);
        return t.size(0) * receptiveField(t);
    }

    private static long fan(String op, Tensor t, FanMode mode) {
        return mode == FanMode.FAN_IN ? fanIn(op, t) : fanOut(op, t);
    }

    private static long receptiveField(Tensor t) {
        long r = 1;
        for (int d = 2; d < t.dim(); d++) r *= t.size(d);
        return r;
    }

    private static void requireMatrix(String op, Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException(op
                    + ": fan in and fan out need a tensor with at least 2 dimensions, got shape "
                    + Shape.str(t.shape()));
        }
    }

    private static Tensor fill(Tensor t, Tensor values) {
        try (var ignored = GradMode.noGrad()) {
            t.copyFrom(values);
        }
        values.close();
        return t;
    }
}

package dev.myelin.ops;

/**
 * Checks of scalar arguments (learning rates, eps, momenta, factors, probabilities, ...), written
 * so that NaN cannot pass: {@code x < 0} is false for NaN, {@code !(x >= 0)} is true. Infinities
 * are refused too. Each message names the op or class, the argument and the value, e.g.
 * {@code "HuberLoss: delta must be a finite number > 0, got NaN"}.
 */
public final class Checks {
    private Checks() {}

    /** {@code value} is neither NaN nor infinite; returns it. */
    public static double finite(String op, String name, double value) {
        if (!Double.isFinite(value)) throw invalid(op, name, value, "a finite number");
        return value;
    }

    /** {@code 0 <= value < +Inf}; returns it. */
    public static double finiteNonNegative(String op, String name, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) throw invalid(op, name, value, "a finite number >= 0");
        return value;
    }

    /** {@code 0 < value < +Inf}; returns it. */
    public static double finitePositive(String op, String name, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) throw invalid(op, name, value, "a finite number > 0");
        return value;
    }

    private static IllegalArgumentException invalid(String op, String name, double value, String expected) {
        return new IllegalArgumentException(op + ": " + name + " must be " + expected + ", got " + value);
    }
}

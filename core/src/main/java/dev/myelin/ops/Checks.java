package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;

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

    /**
     * Every element of {@code t} (class weights, pos_weight) is a finite number >= 0. Reads t back to
     * the host: for constructors, not for every step.
     */
    public static void finiteNonNegativeElements(String op, String name, Tensor t) {
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] >= 0 && v[i] < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(op + ": " + name + " must hold finite numbers >= 0, got " + v[i]
                        + " at element " + i + " of shape " + Shape.str(t.shape()));
            }
        }
    }

    private static IllegalArgumentException invalid(String op, String name, double value, String expected) {
        return new IllegalArgumentException(op + ": " + name + " must be " + expected + ", got " + value);
    }
}

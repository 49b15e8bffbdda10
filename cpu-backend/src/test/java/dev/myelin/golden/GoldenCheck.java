package dev.myelin.golden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Compares a runner's outputs with a case's expected ones: every expected output must be there,
 * with the expected shape, and every element must satisfy
 * {@code |actual - expected| <= atol + rtol * |expected|} (NaN matches only NaN).
 */
final class GoldenCheck {
    /** Mismatching elements listed per output before the rest are only counted. */
    private static final int SHOWN = 3;

    private final double rtol, atol;
    private final List<String> problems = new ArrayList<>();

    private GoldenCheck(double rtol, double atol) {
        this.rtol = rtol;
        this.atol = atol;
    }

    /** One line per problem; empty when everything matches. */
    static List<String> compare(GoldenCase c, GoldenOutputs outputs) {
        GoldenCheck check = new GoldenCheck(c.rtol(), c.atol());
        for (Iterator<String> it = c.expected().fieldNames(); it.hasNext(); ) {
            String name = it.next();
            check.output(name, c.expected().get(name), outputs);
        }
        return check.problems;
    }

    private void output(String name, JsonNode expected, GoldenOutputs outputs) {
        if (!outputs.has(name)) {
            problems.add("output '" + name + "': the runner does not produce it");
            return;
        }
        Object actual = outputs.get(name);
        if (actual == null) {
            problems.add("output '" + name + "': none came out (a gradient that did not reach its tensor?)");
        } else if (GoldenJson.isTensor(expected) && actual instanceof Tensor t) {
            tensor(name, expected, t);
        } else if (expected.isArray() && actual instanceof List<?> list) {
            tensorList(name, expected, list);
        } else if (expected.isArray() && actual instanceof double[] numbers) {
            values(name, null, GoldenJson.numbers(expected, "expected '" + name + "'"), numbers);
        } else {
            problems.add("output '" + name + "': expected " + GoldenJson.abbreviate(expected)
                    + " but the runner gave a " + actual.getClass().getSimpleName());
        }
    }

    private void tensorList(String name, JsonNode expected, List<?> actual) {
        if (expected.size() != actual.size()) {
            problems.add("output '" + name + "': " + actual.size() + " tensors but expected " + expected.size());
            return;
        }
        for (int i = 0; i < actual.size(); i++) tensor(name + "[" + i + "]", expected.get(i), (Tensor) actual.get(i));
    }

    private void tensor(String name, JsonNode expected, Tensor actual) {
        int[] shape = GoldenJson.shape(expected, "expected '" + name + "'");
        if (!Arrays.equals(shape, actual.shape())) {
            problems.add("output '" + name + "': shape " + Arrays.toString(actual.shape()) + " but expected "
                    + Arrays.toString(shape));
            return;
        }
        values(name, shape, GoldenJson.data(expected, "expected '" + name + "'"), actual.toDoubleArray());
    }

    private void values(String name, int[] shape, double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            problems.add("output '" + name + "': " + actual.length + " values but expected " + expected.length);
            return;
        }
        int bad = 0;
        for (int i = 0; i < expected.length; i++) {
            if (close(actual[i], expected[i])) continue;
            if (bad++ < SHOWN) {
                problems.add("output '" + name + "' index " + i + where(shape, i) + ": actual " + actual[i]
                        + ", expected " + expected[i] + " (|diff| " + Math.abs(actual[i] - expected[i]) + " > "
                        + (atol + rtol * Math.abs(expected[i])) + ")");
            }
        }
        if (bad > SHOWN) problems.add("output '" + name + "': " + bad + " of " + expected.length + " elements differ");
    }

    private boolean close(double a, double e) {
        if (Double.isNaN(e) || Double.isNaN(a)) return Double.isNaN(e) && Double.isNaN(a);
        if (Double.isInfinite(e)) return a == e;
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }

    /** The multi-index of flat index i, for shapes of rank 2 or more. */
    private static String where(int[] shape, int i) {
        if (shape == null || shape.length < 2) return "";
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = i % shape[d];
            i /= shape[d];
        }
        return " " + Arrays.toString(idx);
    }
}

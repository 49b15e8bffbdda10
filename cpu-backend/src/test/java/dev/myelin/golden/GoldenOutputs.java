package dev.myelin.golden;

import dev.myelin.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a runner computed for a case, by the expected output's name: a tensor, a list of tensors
 * (an optimizer's parameter after each step) or a list of numbers. A null value is an output
 * that did not come out (e.g. a gradient that never reached its leaf).
 */
final class GoldenOutputs {
    private final Map<String, Object> values = new LinkedHashMap<>();

    GoldenOutputs put(String name, Tensor t) {
        values.put(name, t);
        return this;
    }

    GoldenOutputs put(String name, List<Tensor> ts) {
        values.put(name, ts);
        return this;
    }

    GoldenOutputs put(String name, double[] numbers) {
        values.put(name, numbers);
        return this;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Object get(String name) {
        return values.get(name);
    }
}

package dev.myelin.golden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One golden case: its op, parameters, inputs and expected outputs (schema in the golden
 * folder's README). Inputs are read as float64 tensors (int64 for class indices); every input a
 * runner reads is marked, and {@link #unusedInputs()} lists the others, which fail the case.
 */
final class GoldenCase {
    private final String label;
    private final String op;
    private final GoldenParams params;
    private final JsonNode inputs;
    private final JsonNode expected;
    private final double rtol, atol;
    private final Set<String> usedInputs = new HashSet<>();

    /** label is "file/case"; tolerance is the file's, which the case may override with its own. */
    GoldenCase(String label, JsonNode node, JsonNode fileTolerance) {
        this.label = label;
        this.op = node.path("op").asText(null);
        if (op == null) fail("the case has no \"op\"");
        this.params = new GoldenParams(node.get("params"));
        this.inputs = node.path("inputs");
        this.expected = node.get("expected");
        if (expected == null || !expected.isObject() || expected.isEmpty()) {
            fail("the case has no \"expected\" outputs");
        }
        String dtype = node.path("dtype").asText("float64");
        if (!dtype.equals("float64")) fail("dtype \"" + dtype + "\": the CPU runner checks float64 cases only");
        JsonNode tol = node.has("tolerance") ? node.get("tolerance") : fileTolerance;
        if (tol == null || !tol.path("rtol").isNumber() || !tol.path("atol").isNumber()) {
            fail("no tolerance {\"rtol\", \"atol\"} in the case or its file");
        }
        this.rtol = tol.get("rtol").doubleValue();
        this.atol = tol.get("atol").doubleValue();
    }

    String label() {
        return label;
    }

    String op() {
        return op;
    }

    GoldenParams params() {
        return params;
    }

    JsonNode expected() {
        return expected;
    }

    double rtol() {
        return rtol;
    }

    double atol() {
        return atol;
    }

    boolean hasInput(String name) {
        return inputs.has(name) && !inputs.get(name).isNull();
    }

    /** A float64 input tensor; fails if absent. */
    Tensor input(String name) {
        return GoldenJson.tensor(raw(name), "input '" + name + "'");
    }

    /** A float64 input tensor, or null when the case leaves it out. */
    Tensor inputOrNull(String name) {
        return hasInput(name) ? input(name) : null;
    }

    /** An int64 input (class indices). */
    Tensor longInput(String name) {
        return GoldenJson.longTensor(raw(name), "input '" + name + "'");
    }

    /** A float64 input that gradients are taken with respect to. */
    Tensor leaf(String name) {
        return input(name).requiresGrad(true);
    }

    /** leaf(name), or null when the case leaves it out. */
    Tensor leafOrNull(String name) {
        return hasInput(name) ? leaf(name) : null;
    }

    /** A list of tensors, e.g. an optimizer's gradient per step. */
    List<Tensor> inputList(String name) {
        JsonNode list = raw(name);
        if (!list.isArray()) fail("input '" + name + "' must be a list of tensors");
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(GoldenJson.tensor(list.get(i), "input '" + name + "'[" + i + "]"));
        }
        return out;
    }

    /** A plain list of numbers, e.g. a scheduler's metric per epoch. */
    double[] numbers(String name) {
        return GoldenJson.numbers(raw(name), "input '" + name + "'");
    }

    /** The upstream gradient "grad_out", or ones shaped like y when the case gives none. */
    Tensor gradOut(Tensor y) {
        return hasInput("grad_out") ? input("grad_out") : Tensor.onesLike(y);
    }

    /** The inputs no runner read. */
    List<String> unusedInputs() {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = inputs.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!usedInputs.contains(k)) out.add(k);
        }
        return out;
    }

    private JsonNode raw(String name) {
        usedInputs.add(name);
        JsonNode v = inputs.get(name);
        if (v == null || v.isNull()) fail("input '" + name + "' is missing");
        return v;
    }
}

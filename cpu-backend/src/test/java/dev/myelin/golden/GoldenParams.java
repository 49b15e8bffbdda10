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
 * A case's hyper-parameters, with PyTorch's defaults for those it leaves out. Every getter marks
 * its key as known; after the case ran, {@link #unknown()} lists the keys no runner asked for,
 * which fail the case (an unknown parameter must never be silently ignored).
 */
final class GoldenParams {
    private final JsonNode node;
    private final Set<String> known = new HashSet<>();

    GoldenParams(JsonNode node) {
        if (node != null && !node.isNull() && !node.isObject()) fail("\"params\" must be an object, got " + node);
        this.node = node == null || node.isNull() ? null : node;
    }

    /** The keys of this case that no runner asked for. */
    List<String> unknown() {
        List<String> out = new ArrayList<>();
        if (node == null) return out;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) out.add(k);
        }
        return out;
    }

    /** The value, or null when absent or JSON null. */
    private JsonNode get(String key) {
        known.add(key);
        JsonNode v = node == null ? null : node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    double number(String key, double dflt) {
        JsonNode v = get(key);
        return v == null ? dflt : asNumber(key, v);
    }

    /** A number PyTorch requires (no default). */
    double number(String key) {
        JsonNode v = get(key);
        if (v == null) fail("parameter '" + key + "' is required");
        return asNumber(key, v);
    }

    /** A number that may be null (e.g. batch norm's momentum = None). */
    Double numberOrNull(String key) {
        JsonNode v = get(key);
        return v == null ? null : asNumber(key, v);
    }

    Integer integerOrNull(String key) {
        JsonNode v = get(key);
        if (v == null) return null;
        if (!v.isIntegralNumber()) fail("parameter '" + key + "' must be an integer, got " + v);
        return v.intValue();
    }

    int integer(String key, int dflt) {
        Integer v = integerOrNull(key);
        return v == null ? dflt : v;
    }

    boolean bool(String key, boolean dflt) {
        JsonNode v = get(key);
        if (v == null) return dflt;
        if (!v.isBoolean()) fail("parameter '" + key + "' must be true or false, got " + v);
        return v.booleanValue();
    }

    String string(String key, String dflt) {
        JsonNode v = get(key);
        if (v == null) return dflt;
        if (!v.isTextual()) fail("parameter '" + key + "' must be a string, got " + v);
        return v.textValue();
    }

    /** A list of numbers, e.g. Adam's betas. */
    double[] numbers(String key, double... dflt) {
        JsonNode v = get(key);
        if (v == null) return dflt;
        double[] out = GoldenJson.numbers(v, "parameter '" + key + "'");
        if (out.length != dflt.length) fail("parameter '" + key + "' needs " + dflt.length + " values, got " + v);
        return out;
    }

    /** An int or a list of ints, e.g. layer norm's normalized_shape. */
    int[] ints(String key) {
        JsonNode v = get(key);
        if (v == null) fail("parameter '" + key + "' is required");
        if (v.isIntegralNumber()) return new int[] {v.intValue()};
        double[] d = GoldenJson.numbers(v, "parameter '" + key + "'");
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i])) fail("parameter '" + key + "' must hold integers, got " + v);
            out[i] = (int) d[i];
        }
        return out;
    }

    /**
     * A 2-d size as PyTorch's conv and pooling take it: an int for both dimensions or a list of
     * one or two ints; absent (or an empty list, PyTorch's "default" for pooling strides) gives
     * dflt, and fails when dflt is null (a required size).
     */
    int[] pair(String key, int[] dflt) {
        JsonNode v = get(key);
        if (v == null || (v.isArray() && v.isEmpty())) {
            if (dflt == null) fail("parameter '" + key + "' is required");
            return dflt;
        }
        int[] d = ints(key);
        if (d.length == 1) return new int[] {d[0], d[0]};
        if (d.length != 2) fail("parameter '" + key + "' must be an int or two ints, got " + v);
        return d;
    }

    /**
     * A nested object of parameters (e.g. the schedulers a sequential lr_schedule runs), or null
     * when absent; its own unknown keys are its {@link #unknown()}.
     */
    GoldenParams objectOrNull(String key) {
        JsonNode v = get(key);
        if (v == null) return null;
        if (!v.isObject()) fail("parameter '" + key + "' must be an object, got " + v);
        return new GoldenParams(v);
    }

    /** A tensor-valued parameter such as cross_entropy's weight, or null when absent. */
    Tensor tensorOrNull(String key) {
        JsonNode v = get(key);
        return v == null ? null : GoldenJson.tensor(v, "parameter '" + key + "'");
    }

    private static double asNumber(String key, JsonNode v) {
        if (!v.isNumber()) fail("parameter '" + key + "' must be a number, got " + v);
        return v.doubleValue();
    }
}

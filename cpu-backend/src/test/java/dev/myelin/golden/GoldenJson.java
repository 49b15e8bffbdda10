package dev.myelin.golden;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.myelin.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Reading golden JSON: files, and tensors written as {@code {"shape": [...], "data": [...]}}. */
final class GoldenJson {
    /** NaN and Infinity are allowed because Python's json module writes them. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private GoldenJson() {}

    static JsonNode read(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isTensor(JsonNode node) {
        return node != null && node.isObject() && node.has("shape") && node.has("data");
    }

    static int[] shape(JsonNode tensor, String what) {
        JsonNode s = tensor.get("shape");
        if (s == null || !s.isArray()) fail(what + ": \"shape\" must be a list, got " + s);
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!s.get(i).canConvertToInt() || !s.get(i).isIntegralNumber()) fail(what + ": bad shape " + s);
            shape[i] = s.get(i).intValue();
        }
        return shape;
    }

    static double[] data(JsonNode tensor, String what) {
        JsonNode d = tensor.get("data");
        if (d == null || !d.isArray()) fail(what + ": \"data\" must be a list");
        return numbers(d, what);
    }

    /** A list of numbers. */
    static double[] numbers(JsonNode list, String what) {
        if (list == null || !list.isArray()) fail(what + ": expected a list of numbers, got " + list);
        double[] v = new double[list.size()];
        for (int i = 0; i < v.length; i++) {
            if (!list.get(i).isNumber()) fail(what + ": element " + i + " is not a number: " + list.get(i));
            v[i] = list.get(i).doubleValue();
        }
        return v;
    }

    /** A float64 tensor. */
    static Tensor tensor(JsonNode node, String what) {
        requireTensor(node, what);
        int[] shape = shape(node, what);
        double[] data = data(node, what);
        checkSize(what, shape, data.length);
        return Tensor.of(data, shape);
    }

    /** An int64 tensor (class indices); every value must be an integer. */
    static Tensor longTensor(JsonNode node, String what) {
        requireTensor(node, what);
        int[] shape = shape(node, what);
        double[] data = data(node, what);
        checkSize(what, shape, data.length);
        long[] values = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            if (data[i] != Math.rint(data[i])) {
                fail(what + ": class index " + data[i] + " at " + i + " is not an integer");
            }
            values[i] = (long) data[i];
        }
        return Tensor.of(values, shape);
    }

    private static void requireTensor(JsonNode node, String what) {
        if (!isTensor(node)) fail(what + ": expected a tensor {\"shape\", \"data\"}, got " + abbreviate(node));
    }

    private static void checkSize(String what, int[] shape, int length) {
        long numel = 1;
        for (int d : shape) numel *= d;
        if (numel != length) fail(what + ": " + length + " values for shape " + java.util.Arrays.toString(shape));
    }

    static String abbreviate(JsonNode node) {
        String s = String.valueOf(node);
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}

package dev.myelin.golden;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The golden runner itself, on hand-made cases: it passes right ones and fails, saying where, on wrong ones. */
class GoldenRunnerTest {
    private static final JsonNode TOLERANCE = GoldenJson.parse("{\"rtol\": 1e-7, \"atol\": 1e-9}");

    /** SGD, lr 0.1, from [1, 2] with gradient [0.5, -1]: [0.95, 2.1]. */
    private static JsonNode sgd(String params, String extraInput, String expected) {
        return GoldenJson.parse("""
                {"name": "s", "op": "sgd", "dtype": "float64", "params": %s,
                 "inputs": {"param": {"shape": [2], "data": [1, 2]},
                            "grads": [{"shape": [2], "data": [0.5, -1]}] %s},
                 "expected": %s}""".formatted(params, extraInput, expected));
    }

    private static final String RIGHT = "{\"params_after_each_step\": [{\"shape\": [2], \"data\": [0.95, 2.1]}]}";

    private static String failure(JsonNode node) {
        return assertThrows(AssertionFailedError.class, () -> GoldenRunner.run("t/s", node, TOLERANCE)).getMessage();
    }

    @Test
    void rightCasePasses() {
        assertDoesNotThrow(() -> GoldenRunner.run("t/s", sgd("{\"lr\": 0.1}", "", RIGHT), TOLERANCE));
    }

    @Test
    void mismatchNamesCaseOutputIndexActualAndExpected() {
        String m = failure(sgd("{\"lr\": 0.1}", "",
                "{\"params_after_each_step\": [{\"shape\": [2], \"data\": [0.95, 2.2]}]}"));
        assertTrue(m.startsWith("t/s (sgd)") && m.contains("'params_after_each_step[0]' index 1")
                && m.contains("actual 2.1") && m.contains("expected 2.2"), m);
        assertFalse(m.contains("index 0"), m);
    }

    @Test
    void wrongShapeFails() {
        String m = failure(sgd("{\"lr\": 0.1}", "",
                "{\"params_after_each_step\": [{\"shape\": [1, 2], \"data\": [0.95, 2.1]}]}"));
        assertTrue(m.contains("shape [2] but expected [1, 2]"), m);
    }

    @Test
    void unknownOpParameterInputAndOutputFail() {
        assertTrue(failure(GoldenJson.parse("{\"name\": \"s\", \"op\": \"frobnicate\", \"inputs\": {}, "
                + "\"expected\": {\"y\": {\"shape\": [], \"data\": [1]}}}")).contains("unknown op 'frobnicate'"));
        assertTrue(failure(sgd("{\"lr\": 0.1, \"foo\": 1}", "", RIGHT)).contains("unknown parameter 'foo'"));
        assertTrue(failure(sgd("{\"lr\": 0.1}", ", \"bar\": {\"shape\": [], \"data\": [1]}", RIGHT))
                .contains("unknown input 'bar'"));
        String m = failure(sgd("{\"lr\": 0.1}", "", RIGHT.replace("}]}", "}], \"baz\": [1, 2]}")));
        assertTrue(m.contains("output 'baz': the runner does not produce it"), m);
    }

    @Test
    void requiredParameterFails() {
        assertTrue(failure(sgd("{}", "", RIGHT)).contains("parameter 'lr' is required"));
    }

    /** y = x w^T + b = 1*3 + 2*4 + 1 = 12; with grad_out 1: grad_x = w, grad_weight = x, grad_bias = 1. */
    @Test
    void linearRunsForwardAndBackwardThroughF() {
        JsonNode linear = GoldenJson.parse("""
                {"name": "l", "op": "linear", "params": {},
                 "inputs": {"x": {"shape": [1, 2], "data": [1, 2]}, "weight": {"shape": [1, 2], "data": [3, 4]},
                            "bias": {"shape": [1], "data": [1]}, "grad_out": {"shape": [1, 1], "data": [1]}},
                 "expected": {"y": {"shape": [1, 1], "data": [12]},
                              "grad_x": {"shape": [1, 2], "data": [3, 4]},
                              "grad_weight": {"shape": [1, 2], "data": [1, 2]},
                              "grad_bias": {"shape": [1], "data": [1]}}}""");
        assertDoesNotThrow(() -> GoldenRunner.run("t/l", linear, TOLERANCE));
        String wrongGrad = linear.toString().replace("\"grad_x\":{\"shape\":[1,2],\"data\":[3,4]}",
                "\"grad_x\":{\"shape\":[1,2],\"data\":[3,5]}");
        String m = failure(GoldenJson.parse(wrongGrad));
        assertTrue(m.contains("'grad_x' index 1 [0, 1]: actual 4.0, expected 5.0"), m);
    }

    @Test
    void scheduleCasePassesAndItsNestedUnknownParameterFails() {
        String sequential = """
                {"name": "seq", "op": "lr_schedule", "params": {"kind": "sequential", "base_lr": 1.0, "epochs": 4,
                   "warmup": {"kind": "constant", "factor": 0.5, "total_iters": 2%s},
                   "then": {"kind": "exponential", "gamma": 0.5}, "milestone": 2},
                 "inputs": {}, "expected": {"lr_per_epoch": [0.5, 0.5, 1.0, 0.5]}}""";
        assertDoesNotThrow(() -> GoldenRunner.run("t/seq", GoldenJson.parse(sequential.formatted("")), TOLERANCE));
        String m = failure(GoldenJson.parse(sequential.formatted(", \"typo\": 1")));
        assertTrue(m.contains("unknown parameter 'warmup.typo'"), m);
    }
}

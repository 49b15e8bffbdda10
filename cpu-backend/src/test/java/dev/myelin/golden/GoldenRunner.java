package dev.myelin.golden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.MemoryScope;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs one golden case: finds its op's runner, runs it in a memory scope and checks the result.
 * A case fails, listing every problem, when an output differs beyond the tolerance, when its op
 * or one of its parameters or inputs is unknown, or when Myelin throws; every message starts
 * with the case's label and op.
 */
final class GoldenRunner {
    private static final Map<String, GoldenOp> OPS = new HashMap<>();

    static {
        ActivationCases.register(OPS);
        NormCases.register(OPS);
        LayerCases.register(OPS);
        DropoutCases.register(OPS);
        LossCases.register(OPS);
        CompositeLossCases.register(OPS);
        OptimizerCases.register(OPS);
        SchedulerCases.register(OPS);
    }

    private GoldenRunner() {}

    /** label is "file/case"; tolerance is the file's {"rtol", "atol"}. */
    static void run(String label, JsonNode node, JsonNode tolerance) {
        String op = node.path("op").asText("?");
        List<String> problems = new ArrayList<>();
        try (MemoryScope scope = MemoryScope.open()) {
            GoldenCase c = new GoldenCase(label, node, tolerance);
            GoldenOp runner = OPS.get(c.op());
            if (runner == null) fail("unknown op '" + c.op() + "'");
            GoldenOutputs outputs = runner.run(c);
            c.params().unknown().forEach(k -> problems.add("unknown parameter '" + k + "'"));
            c.unusedInputs().forEach(k -> problems.add("unknown input '" + k + "'"));
            problems.addAll(GoldenCheck.compare(c, outputs));
        } catch (TestAbortedException e) {
            throw e;
        } catch (AssertionError e) {
            throw new AssertionFailedError(label + " (" + op + "): " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AssertionFailedError(label + " (" + op + "): " + e, e);
        }
        if (!problems.isEmpty()) {
            throw new AssertionFailedError(label + " (" + op + "):\n    " + String.join("\n    ", problems));
        }
    }
}

package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.nn.LayerNorm;
import dev.myelin.nn.Linear;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The debug trace ({@link Debug}): off, no wrapper; on (in a fresh JVM), one line per kernel call and the same numbers.
 */
class DebugTraceTest {

    @Test
    void offNothingIsWrapped() {
        assertFalse(Debug.enabled(), "these tests run without -Dmyelin.debug / MYELIN_DEBUG");
        Backend cpu = Backends.get("cpu");
        Tensor t = Tensor.empty(cpu, DType.FLOAT32, 2, 3);
        assertSame(cpu, t.backend());
        assertSame(cpu.normalization(), t.backend().normalization());
    }

    @Test
    void tracedViewKeepsTheDeviceAndStorages() {
        Backend cpu = Backends.get("cpu");
        Backend traced = Debug.traced(cpu);
        assertSame(traced, Debug.traced(cpu), "one view per backend");
        assertSame(traced, Debug.traced(traced));
        assertEquals(cpu.device(), traced.device());
        Tensor t = Tensor.empty(traced, DType.FLOAT32, 4);
        assertSame(cpu, t.storage().backend());
        assertEquals(cpu.device(), t.device());
        traced.elementwise().fill(t, 2.5);
        assertEquals(2.5, t.toDoubleArray()[3]);
    }

    @Test
    void onEveryKernelCallIsLoggedAndTheNumbersAreTheSame() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-Dmyelin.debug=true", "-Dmyelin.backend=cpu", "-cp", System.getProperty("java.class.path"),
                Run.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), out);

        List<String> trace = out.lines().filter(l -> l.contains("dev.myelin.debug")).toList();
        for (String op : List.of("blas.gemm(", "normalization.layerNorm(float32[4, 8], float32[8], float32[8], 1.0E-5,",
                "normalization.layerNormBackward(", "activations.", "losses.crossEntropy(",
                "losses.crossEntropyBackward(")) {
            assertTrue(trace.stream().anyMatch(l -> l.contains(" cpu " + op)), op + " not traced in:\n" + out);
        }
        assertTrue(trace.stream().allMatch(l -> l.matches(".* cpu \\w+\\.\\w+\\(.*\\) (\\d+\\.\\d{3} ms|threw \\w+)")),
                "every line: backend family.op(args) time\n" + out);
        assertEquals(results(), out.lines().filter(l -> l.startsWith("result ")).toList(), out);
    }

    /** The loss and the gradients of a small forward and backward, as exact bits. */
    static List<String> results() {
        Myelin.manualSeed(15);
        Linear first = new Linear(6, 8);
        Sequential model = new Sequential(first, new LayerNorm(8), new ReLU(), new Linear(8, 3));
        Tensor x = Tensor.randn(4, 6);
        Tensor target = Tensor.of(new long[] {0, 2, 1, 2}, 4);
        Tensor loss = new CrossEntropyLoss().forward(model.forward(x), target);
        loss.backward();
        List<String> lines = new ArrayList<>();
        lines.add("result loss " + Float.floatToIntBits((float) loss.item()));
        for (Tensor p : model.parameters()) {
            StringBuilder s = new StringBuilder("result grad");
            for (float v : p.grad().toFloatArray()) s.append(' ').append(Float.floatToIntBits(v));
            lines.add(s.toString());
        }
        return lines;
    }

    /** Run in a fresh JVM with the trace on. */
    public static final class Run {
        public static void main(String[] args) {
            results().forEach(System.out::println);
        }
    }
}

package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Backends;
import dev.myelin.nn.Linear;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector}: whichever Myelin entry point a
 * user reaches first, the error names the flag to add (not a NoClassDefFoundError), and the auto
 * log line says why the CPU backend was skipped. Each case starts a JVM of its own, so that the
 * entry point under test is really the first Myelin code to run.
 */
class WithoutVectorModuleTest {
    private static final String FIX = "--add-modules jdk.incubator.vector";

    @ParameterizedTest
    @ValueSource(strings = {"tensor", "module", "backends", "forced"})
    void theFirstEntryPointNamesTheMissingFlag(String entryPoint) throws Exception {
        String out = runWithoutVectorModule(entryPoint);
        assertTrue(out.contains("caught IllegalStateException"), out);
        assertTrue(out.contains(FIX), out);
        assertFalse(out.contains("NoClassDefFoundError"), out);
    }

    @Test
    void theAutoLogLineSaysTheCpuBackendWasSkippedAndWhy() throws Exception {
        String out = runWithoutVectorModule("backends");
        String logLine = out.lines().filter(l -> l.contains("Myelin backend: none (auto;")).findFirst().orElse("");
        assertTrue(logLine.contains("cpu: this JVM was started without the Vector API module"), out);
        assertTrue(logLine.contains(FIX), out);
    }

    @Test
    void withTheModuleTheBackendIsAvailable() {
        assertTrue(CpuBackendProvider.vectorModuleResolved(), "the tests run with " + FIX);
        assertTrue(new CpuBackendProvider().availability().available());
    }

    /** Runs {@link Probe} in a JVM without the Vector API module; its stdout and stderr together. */
    private static String runWithoutVectorModule(String entryPoint) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), entryPoint)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe JVM did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The probe JVM's main: one entry point, and what it threw. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                switch (args[0]) {
                    case "tensor" -> Tensor.zeros(2, 3);
                    case "module" -> new Linear(4, 2);
                    case "backends" -> Backends.getDefault();
                    case "forced" -> Backends.get("cpu");
                    default -> throw new IllegalArgumentException(args[0]);
                }
                System.out.println("no error");
            } catch (RuntimeException e) {
                System.out.println("caught " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}

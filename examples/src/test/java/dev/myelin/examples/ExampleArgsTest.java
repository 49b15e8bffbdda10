package dev.myelin.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples' command line: bad values are named, and the programs print their usage and fail without a stack trace.
 */
class ExampleArgsTest {
    @TempDir
    Path dir;

    private static IllegalArgumentException bad(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ExampleArgs.parse(args, 1, 1, "runs", true));
    }

    @Test
    void badNumbersNameTheOptionAndTheValue() {
        var e = bad("--epochs", "abc");
        assertTrue(e.getMessage().contains("--epochs") && e.getMessage().contains("\"abc\""), e.getMessage());
        e = bad("--batch-size", "1.5");
        assertTrue(e.getMessage().contains("--batch-size"), e.getMessage());
        e = bad("--seed", "x");
        assertTrue(e.getMessage().contains("--seed"), e.getMessage());
    }

    @Test
    void countsMustBePositive() {
        for (String option : List.of("--epochs", "--batch-size", "--limit")) {
            var e = bad(option, "0");
            assertTrue(e.getMessage().contains(option) && e.getMessage().contains(">= 1"), e.getMessage());
        }
    }

    @Test
    void resumeNeedsAnExistingFileAndAnExampleThatResumes() throws IOException {
        var e = bad("--resume", dir.resolve("missing.safetensors").toString());
        assertTrue(e.getMessage().contains("missing.safetensors"), e.getMessage());
        Path file = Files.writeString(dir.resolve("run.safetensors"), "x");
        assertEquals(file, ExampleArgs.parse(new String[] {"--resume", file.toString()}, 1, 1, "runs", true).resume());
        e = assertThrows(IllegalArgumentException.class,
                () -> ExampleArgs.parse(new String[] {"--resume", file.toString()}, 1, 1, "runs", false));
        assertTrue(e.getMessage().contains("\"--resume\""), e.getMessage());
    }

    /** Runs an example's main in a fresh JVM (System.exit must not end the test run). */
    private static Process run(String example, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.myelin.examples." + example));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    @Test
    void theProgramsPrintTheirUsageAndExitNonZeroWithoutAStackTrace() throws Exception {
        for (String[] c : List.of(new String[] {"FashionMlp", "--epochs", "abc"},
                new String[] {"FashionCnn", "--lr", "1"}, new String[] {"MemoryCheck", "--steps", "many"})) {
            Process p = run(c[0], java.util.Arrays.copyOfRange(c, 1, c.length));
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), c[0] + " did not exit");
            String out = new String(p.getInputStream().readAllBytes()),
                    err = new String(p.getErrorStream().readAllBytes());
            assertNotEquals(0, p.exitValue(), c[0]);
            assertTrue(err.contains("usage: ./myelin example " + c[0]), err);
            assertTrue(err.contains(c[c.length - 2]), err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), err);
            assertEquals("", out);
        }
    }
}

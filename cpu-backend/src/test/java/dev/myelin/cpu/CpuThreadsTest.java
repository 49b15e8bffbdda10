package dev.myelin.cpu;

import dev.myelin.backend.Availability;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** -Dmyelin.cpu.threads: a positive integer, or an error naming the property and the value (never silently ignored). */
class CpuThreadsTest {
    @Test
    void aPositiveIntegerOrTheCores() {
        assertEquals(3, CpuThreads.parse("3", 8));
        assertEquals(4, CpuThreads.parse(" 4 ", 8));
        assertEquals(8, CpuThreads.parse(null, 8));
        for (String bad : new String[] {"abc", "0", "-2", "", "2.5", "99999999999"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> CpuThreads.parse(bad, 8), bad);
            assertTrue(e.getMessage().contains("-Dmyelin.cpu.threads='" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("positive integer"), e.getMessage());
        }
    }

    @Test
    void spinMicrosIsANonNegativeIntegerOrTheBackendDoesNotLoad() {
        String saved = System.getProperty(CpuThreads.SPIN_PROPERTY);
        try {
            System.setProperty(CpuThreads.SPIN_PROPERTY, " 0 ");
            assertEquals(0, CpuThreads.spinNanos());
            System.setProperty(CpuThreads.SPIN_PROPERTY, "50");
            assertEquals(50_000, CpuThreads.spinNanos());
            for (String bad : new String[] {"-1", "fast", "1.5", ""}) {
                System.setProperty(CpuThreads.SPIN_PROPERTY, bad);
                var e = assertThrows(IllegalArgumentException.class, CpuThreads::spinNanos, bad);
                assertTrue(e.getMessage().contains("-Dmyelin.cpu.spinMicros='" + bad + "'"), e.getMessage());
                Availability a = new CpuBackendProvider().availability();
                assertFalse(a.available());
                assertTrue(a.reason().contains("myelin.cpu.spinMicros"), a.reason());
            }
        } finally {
            if (saved == null) System.clearProperty(CpuThreads.SPIN_PROPERTY);
            else System.setProperty(CpuThreads.SPIN_PROPERTY, saved);
        }
        assertEquals(200_000, CpuThreads.spinNanos());
    }

    @Test
    void theProviderIsUnavailableWithTheReason() {
        String saved = System.getProperty(CpuThreads.PROPERTY);
        try {
            System.setProperty(CpuThreads.PROPERTY, "abc");
            Availability a = new CpuBackendProvider().availability();
            assertFalse(a.available());
            assertTrue(a.reason().contains("-Dmyelin.cpu.threads='abc'"), a.reason());
            var e = assertThrows(IllegalStateException.class, () -> new CpuBackendProvider().create());
            assertTrue(e.getMessage().contains("-Dmyelin.cpu.threads='abc'"), e.getMessage());
        } finally {
            if (saved == null) System.clearProperty(CpuThreads.PROPERTY);
            else System.setProperty(CpuThreads.PROPERTY, saved);
        }
        assertTrue(new CpuBackendProvider().availability().available());
    }

    /** A fresh JVM with a bad property: the forced backend and auto both fail, saying why. */
    @Test
    void aFreshJvmRefusesToStartTheBackend() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-Dmyelin.cpu.threads=-2",
                "-cp", System.getProperty("java.class.path"), BackendStartProcess.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertTrue(out.contains("forced: IllegalStateException: Myelin: backend 'cpu' was requested but cannot load: "
                + "-Dmyelin.cpu.threads='-2'"), out);
        assertTrue(out.contains("auto: IllegalStateException: Myelin: no backend is available: cpu: "
                + "-Dmyelin.cpu.threads='-2'"), out);
    }
}

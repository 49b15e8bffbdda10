package dev.myelin.distributed.nccl;

import dev.myelin.cuda.EmulatedDriverSession;
import dev.myelin.cuda.runtime.LibraryLocator;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in libnccl.so.2 ({@code src/test/native/fake_nccl.c}), compiled with the system C compiler once
 * per test JVM into {@code target/fake-nccl}. Under the stand-in CUDA driver ({@link EmulatedDriverSession})
 * {@link #install()} adds its folder to {@code -Dmyelin.cuda.libpath}, so that {@link NcclLibrary} finds it
 * as it would find the real one. Where there is no C compiler the calling test is skipped, saying so.
 */
final class StandInNccl {
    private static Path built;

    private StandInNccl() {}

    /** The folder holding the stand-in as {@code libnccl.so.2}. */
    static synchronized Path folder() {
        if (built != null) return built;
        Path src = Path.of("src/test/native/fake_nccl.c").toAbsolutePath();
        Path dir = Path.of("target/fake-nccl").toAbsolutePath();
        Path so = dir.resolve(NcclLibrary.FILE);
        try {
            Files.createDirectories(dir);
            Process cc;
            try {
                cc = new ProcessBuilder("cc", "-std=c11", "-Wall", "-shared", "-fPIC", "-O2",
                        "-Wl,-soname," + NcclLibrary.FILE, "-o", so.toString(), src.toString(), "-lrt")
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                Assumptions.abort("no C compiler (cc) to build the stand-in NCCL: " + e.getMessage());
                throw new AssertionError("unreachable");
            }
            String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cc.waitFor(120, TimeUnit.SECONDS) || cc.exitValue() != 0) {
                throw new IllegalStateException("cc could not build the stand-in NCCL: " + log);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("building the stand-in NCCL failed: " + e.getMessage(), e);
        }
        built = dir;
        return dir;
    }

    /**
     * Under the stand-in driver, puts the stand-in NCCL on {@code myelin.cuda.libpath} (before NCCL is first
     * looked for). On a real GPU nothing changes: the real libnccl is used, or the test is skipped without one.
     */
    static synchronized void install() {
        if (Boolean.getBoolean(EmulatedDriverSession.PROPERTY)) {
            String libpath = System.getProperty(LibraryLocator.LIBPATH_PROPERTY, "");
            String dir = folder().toString();
            if (!libpath.contains(dir)) {
                System.setProperty(LibraryLocator.LIBPATH_PROPERTY, libpath.isBlank() ? dir : libpath + ":" + dir);
            }
        }
        var a = NcclLibrary.availability();
        if (a.available()) return;
        if (Boolean.getBoolean(EmulatedDriverSession.PROPERTY)) {
            throw new IllegalStateException("the stand-in NCCL did not load: " + a.reason());
        }
        Assumptions.abort("NCCL test skipped: " + a.reason());
    }
}

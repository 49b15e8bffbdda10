package dev.myelin.cuda.runtime;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The stand-in cuBLAS and cuDNN of the tests without a GPU ({@code fake/fake_cublas.c},
 * {@code fake/fake_cudnn.c}: the real C signatures and argument checks, computing on host memory),
 * compiled with the system C compiler once per test JVM and opened as the backend opens the real
 * ones. Where there is no C compiler the calling test is skipped, saying so.
 */
public final class FakeLibraries {
    private static final Map<String, NativeLibrary> OPENED = new HashMap<>();

    private FakeLibraries() {}

    public static NativeLibrary cublas() {
        return open("fake_cublas", "cuBLAS");
    }

    public static NativeLibrary cudnn() {
        return open("fake_cudnn", "cuDNN");
    }

    /**
     * A folder holding both stand-ins under the real libraries' file names ({@code libcublas.so.13},
     * {@code libcudnn.so.9}), for {@code -Dmyelin.cuda.libpath}.
     */
    public static synchronized Path asInstalledLibraries() throws IOException {
        Path dir = Files.createTempDirectory("myelin-fake-cuda-libs");
        Files.copy(build("fake_cublas", "cuBLAS"), dir.resolve("libcublas.so.13"));
        Files.copy(build("fake_cudnn", "cuDNN"), dir.resolve("libcudnn.so.9"));
        return dir;
    }

    private static synchronized NativeLibrary open(String name, String what) {
        NativeLibrary lib = OPENED.get(name);
        if (lib != null) return lib;
        Path so = build(name, what);
        lib = NativeLibrary.open(what, new LibraryLocator.Found(so.getFileName().toString(), so, "test"), List.of());
        OPENED.put(name, lib);
        return lib;
    }

    /** Compiles fake/{name}.c into a shared library in a new temporary folder. */
    private static Path build(String name, String what) {
        try {
            Path dir = Files.createTempDirectory("myelin-" + name);
            Path src = dir.resolve(name + ".c"), so = dir.resolve("lib" + name + ".so");
            try (InputStream in = FakeLibraries.class.getResourceAsStream("/dev/myelin/cuda/fake/" + name + ".c")) {
                Files.copy(in, src);
            }
            Process cc;
            try {
                cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O2", "-o", so.toString(), src.toString(), "-lm")
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                Assumptions.abort("no C compiler (cc) to build the stand-in " + what + ": " + e.getMessage());
                throw new AssertionError("unreachable");
            }
            String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cc.waitFor(120, TimeUnit.SECONDS) || cc.exitValue() != 0) {
                throw new IllegalStateException("cc could not build the stand-in " + what + ": " + log);
            }
            return so;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("building the stand-in " + what + " failed: " + e.getMessage(), e);
        }
    }
}

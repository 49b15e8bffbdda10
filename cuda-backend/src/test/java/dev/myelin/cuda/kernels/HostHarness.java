package dev.myelin.cuda.kernels;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds a small host program around our {@code __host__ __device__} CUDA headers, so that tests
 * can check device code against the CPU backend without a GPU: with g++ (the CUDA qualifiers
 * defined away), else with nvcc. Floating-point contraction is off either way, as in the PTX
 * build (--fmad=false) and in Java. Aborts the test (skipped, with the compilers' output) when
 * neither can build it.
 */
final class HostHarness {
    private HostHarness() {}

    /** Compiles {@code source} (C++) in {@code dir} and returns the executable. */
    static Path compile(Path dir, String name, String source) throws IOException, InterruptedException {
        Path src = dir.resolve(name + ".cpp");
        Files.writeString(src, source);
        Path exe = dir.resolve(name);
        String include = "-I" + CudaSources.sources();
        List<List<String>> attempts = new ArrayList<>();
        attempts.add(List.of("g++", "-std=c++17", "-O1", "-ffp-contract=off", "-D__host__=", "-D__device__=",
                "-D__forceinline__=inline", include, src.toString(), "-o", exe.toString()));
        Path nvcc = CudaSources.nvcc();
        if (nvcc != null) {
            attempts.add(List.of(nvcc.toString(), "-x", "cu", "-std=c++17", "--fmad=false", include, src.toString(), "-o",
                    exe.toString()));
        }
        StringBuilder log = new StringBuilder();
        for (List<String> cmd : attempts) {
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                log.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                if (p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0) return exe;
            } catch (IOException e) {
                log.append(cmd.get(0)).append(": ").append(e.getMessage()).append('\n');
            }
        }
        Assumptions.abort("no host compiler (g++ or nvcc) could build " + name + ": " + log);
        throw new AssertionError("unreachable");
    }
}

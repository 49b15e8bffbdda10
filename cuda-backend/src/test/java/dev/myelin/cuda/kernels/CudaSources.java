package dev.myelin.cuda.kernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository files the kernel tests read: CUDA sources, committed PTX, the build script, nvcc. */
public final class CudaSources {
    static final String SOURCES_REL = "cuda-backend/src/main/cuda";
    static final String PTX_REL = "cuda-backend/src/main/resources/dev/myelin/cuda/ptx";

    private CudaSources() {}

    /**
     * The repository root: the first directory at or above the working directory holding cuda-backend/src/main/cuda.
     */
    public static Path root() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isDirectory(q.resolve(SOURCES_REL))) return q;
        }
        throw new IllegalStateException("cannot find " + SOURCES_REL + " at or above " + p);
    }

    static Path sources() {
        return root().resolve(SOURCES_REL);
    }

    static Path ptxDir() {
        return root().resolve(PTX_REL);
    }

    static Path buildScript() {
        return root().resolve("scripts/build-ptx.sh");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed PTX of a module. */
    public static String ptx(String module) {
        return read(ptxDir().resolve(module + ".ptx"));
    }

    /** The .cu modules under the sources folder, by name without extension, sorted. */
    static List<String> modules() {
        try (var files = Files.list(sources())) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code #define NAME <integer>} of a source file. */
    public static Map<String, Long> defines(String file) {
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^#define\\s+(\\w+)\\s+(-?\\d+)\\s*$").matcher(read(sources().resolve(file)));
        while (m.find()) out.put(m.group(1), Long.parseLong(m.group(2)));
        return out;
    }

    /** The nvcc executable: $NVCC, PATH, or /usr/local/cuda*\/bin; null when there is none. */
    static Path nvcc() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("NVCC");
        if (env != null && !env.isBlank()) candidates.add(Path.of(env));
        String path = System.getenv("PATH");
        if (path != null) for (String dir : path.split(java.io.File.pathSeparator)) candidates.add(Path.of(dir,
                "nvcc"));
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        try (var dirs = Files.list(Path.of("/usr/local"))) {
            dirs.filter(d -> d.getFileName().toString().startsWith("cuda-")).sorted()
                    .forEach(d -> candidates.add(d.resolve("bin/nvcc")));
        } catch (IOException ignored) {
            // no /usr/local: nothing to add
        }
        for (Path c : candidates) if (Files.isExecutable(c)) return c;
        return null;
    }
}

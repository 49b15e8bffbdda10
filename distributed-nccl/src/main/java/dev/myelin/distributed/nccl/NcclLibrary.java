package dev.myelin.distributed.nccl;

import dev.myelin.backend.Availability;
import dev.myelin.cuda.runtime.LibraryLocator;
import dev.myelin.cuda.runtime.NativeLibrary;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds and opens libnccl.so.2 once per process, the way the CUDA backend finds cuBLAS
 * ({@link LibraryLocator}): {@code -Dmyelin.cuda.libpath}, {@code $CUDA_HOME/lib64} and {@code /lib},
 * {@code LD_LIBRARY_PATH}, then the {@code nvidia/nccl/lib} folders of Python wheels (the
 * {@code nvidia-nccl-cu12} wheel that PyTorch pulls in), then the system loader.
 */
final class NcclLibrary {
    static final String FILE = "libnccl.so.2";
    /** Where a wheel puts the library, under a site-packages folder. */
    static final Path WHEEL_DIR = Path.of("nvidia", "nccl", "lib");

    private static Nccl opened;
    private static Availability availability;

    private NcclLibrary() {}

    /** What looking for NCCL gave: the opened library, or (library null) the reason it is unavailable. */
    record Probe(Nccl library, String reason) {
        Availability availability() {
            return library != null ? Availability.yes() : Availability.no(reason);
        }
    }

    /** Whether NCCL can be opened here, and if not which file is missing and every place looked at; cached. */
    static synchronized Availability availability() {
        if (availability == null) {
            Probe probe = probe(locator());
            opened = probe.library();
            availability = probe.availability();
        }
        return availability;
    }

    /** Opens NCCL from the first place {@code locator} finds it; says why not otherwise (never throws). */
    static Probe probe(LibraryLocator locator) {
        try {
            return new Probe(new Nccl(NativeLibrary.open("NCCL", locator.locate("NCCL", List.of(FILE)), List.of())),
                    null);
        } catch (RuntimeException e) {
            return new Probe(null, e.getMessage());
        }
    }

    /** The opened library, or an exception with the reason it is unavailable. */
    static synchronized Nccl get() {
        Availability a = availability();
        if (!a.available()) throw new IllegalStateException("nccl: not available: " + a.reason());
        return opened;
    }

    static LibraryLocator locator() {
        return LibraryLocator.fromEnvironment(List.of(wheelPlace(System.getenv(), Path.of(
                System.getProperty("user.home", "/nonexistent")))));
    }

    /**
     * {@code nvidia/nccl/lib} under every site-packages folder that exists: those of {@code PYTHONPATH},
     * the active virtualenv or conda environment, the user's and the system's Python 3 installations.
     */
    static LibraryLocator.Place wheelPlace(Map<String, String> env, Path home) {
        List<Path> roots = new ArrayList<>();
        String pythonPath = env.get("PYTHONPATH");
        if (pythonPath != null) {
            for (String d : pythonPath.split(":")) if (!d.isBlank()) roots.add(Path.of(d.trim()));
        }
        for (String prefix : new String[] {env.get("VIRTUAL_ENV"), env.get("CONDA_PREFIX")}) {
            if (prefix != null && !prefix.isBlank()) roots.addAll(pythonDirs(Path.of(prefix.trim(), "lib")));
        }
        roots.addAll(pythonDirs(home.resolve(".local/lib")));
        roots.addAll(pythonDirs(Path.of("/usr/local/lib")));
        roots.add(Path.of("/usr/lib/python3/dist-packages"));
        roots.addAll(pythonDirs(Path.of("/usr/lib")));
        List<Path> dirs = new ArrayList<>();
        for (Path root : roots) {
            Path lib = root.resolve(WHEEL_DIR);
            if (Files.isDirectory(root) && !dirs.contains(lib)) dirs.add(lib);
        }
        return new LibraryLocator.Place("Python wheels (site-packages/" + WHEEL_DIR + ")", dirs);
    }

    /** {@code lib/python3.X/site-packages} and {@code dist-packages} for every python3.X under {@code lib}. */
    private static List<Path> pythonDirs(Path lib) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(lib)) return out;
        try (Stream<Path> children = Files.list(lib)) {
            for (Path p : children.filter(c -> c.getFileName().toString().startsWith("python3")).sorted().toList()) {
                out.add(p.resolve("site-packages"));
                out.add(p.resolve("dist-packages"));
            }
        } catch (IOException e) {
            // an unreadable folder holds no wheel we could load
        }
        return out;
    }
}

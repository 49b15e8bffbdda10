package dev.myelin.cuda.kernels;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Myelin's CUDA kernels compiled for this machine's CPU, so that they run without a GPU: every
 * {@code .cu} module with the CUDA-on-host header and the fiber runtime of
 * {@code src/test/emulator}, built with g++ into one shared library (under
 * {@code cuda-backend/target/emulator}, rebuilt when a source changes) and called through
 * java.lang.foreign. The kernels' entry points are the committed PTX's, so a kernel the launchers
 * can name on a GPU can be named here.
 *
 * <p>What it checks: the kernels' logic, indexing and the launchers' arguments and grids, with
 * every thread of a block really interleaved at its barriers. What it cannot: device math
 * (host libm's {@code expf} is not the GPU's), timing-dependent races between blocks (blocks run
 * one after another), and anything the driver, cuBLAS or cuDNN do.
 */
public final class HostEmulator {
    static final String EMULATOR_REL = "cuda-backend/src/test/emulator";
    static final String TEST_PTX_REL = "cuda-backend/src/test/resources/dev/myelin/cuda/ptx";
    private static final int MESSAGE_BYTES = 1024;
    private static HostEmulator instance;
    private static String unavailable;

    private final MethodHandle launch;

    private HostEmulator(Path library) {
        SymbolLookup lib = SymbolLookup.libraryLookup(library, Arena.global());
        this.launch = Linker.nativeLinker().downcallHandle(lib.find("emu_launch").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                        ADDRESS, ADDRESS, JAVA_LONG));
    }

    /** The emulator, built on first use; null when it cannot be built here (see {@link #unavailableReason()}). */
    static synchronized HostEmulator get() {
        if (instance == null && unavailable == null) {
            try {
                instance = new HostEmulator(build());
            } catch (IOException | InterruptedException | RuntimeException e) {
                unavailable = e.getMessage();
            }
        }
        return instance;
    }

    /** Why {@link #get()} returned null (the compiler's output), or null when the emulator is there. */
    static synchronized String unavailableReason() {
        get();
        return unavailable;
    }

    /**
     * Runs kernel {@code name} over the grid; {@code params} is cuLaunchKernel's array of pointers
     * to each parameter's value. Returns null, or what went wrong (an unknown kernel, a bad
     * configuration, a deadlock at a barrier, a shuffle with an exited lane).
     */
    String launch(String name, Dim3 grid, Dim3 block, MemorySegment params) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(MESSAGE_BYTES);
            int rc = (int) launch.invokeExact(arena.allocateFrom(name), grid.x(), grid.y(), grid.z(), block.x(),
                    block.y(), block.z(), params, message, (long) MESSAGE_BYTES);
            return rc == 0 ? null : message.getString(0);
        } catch (Throwable t) {
            throw new IllegalStateException("emulator: emu_launch(" + name + ") failed: " + t, t);
        }
    }

    /**
     * A stand-in {@code libcuda.so.1} over the emulator (src/test/emulator/fake_driver.cpp), built
     * with it: loaded before anything asks for the CUDA driver, it makes the GPU tests run on the
     * host (see {@code dev.myelin.cuda.EmulatedDriverSession}).
     */
    public static synchronized Path fakeDriver() throws IOException, InterruptedException {
        build();
        return output().resolve("fake-driver").resolve("libcuda.so.1");
    }

    private static Path output() {
        return CudaSources.root().resolve("cuda-backend/target/emulator");
    }

    /** Builds, or finds up to date, both libraries; a file lock keeps concurrent test JVMs from building at once. */
    private static Path build() throws IOException, InterruptedException {
        Path out = output();
        Files.createDirectories(out.resolve("fake-driver"));
        try (FileChannel channel = FileChannel.open(out.resolve("build.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
            return buildLocked(out);
        }
    }

    private static Path buildLocked(Path out) throws IOException, InterruptedException {
        Path root = CudaSources.root(), emulator = root.resolve(EMULATOR_REL), sources = CudaSources.sources();
        Path library = out.resolve("libmyelin_emulator.so"),
                driver = out.resolve("fake-driver").resolve("libcuda.so.1");
        Path stamp = out.resolve("sources.sha256");
        Path testPtx = root.resolve(TEST_PTX_REL);
        String digest = digest(emulator, sources, CudaSources.ptxDir(), testPtx);
        if (Files.exists(library) && Files.exists(driver) && Files.exists(stamp)
                && Files.readString(stamp).equals(digest)) {
            // The stamp's time says when the build was last found current (scripts/gpu-bundle-dry-run.sh reads it).
            Files.setLastModifiedTime(stamp, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
            return library;
        }

        List<Path> units = new ArrayList<>();
        units.add(emulator.resolve("emulator.cpp"));
        units.add(emulator.resolve("emulator_selftest.cpp"));
        for (String module : CudaSources.modules()) {
            units.add(moduleUnit(out, sources.resolve(module + ".cu"), CudaSources.ptx(module)));
        }
        // Test-only modules (KernelsTest's probe) sit with their PTX among the test resources.
        try (Stream<Path> probes = Files.list(testPtx)) {
            for (Path cu : probes.filter(f -> f.toString().endsWith(".cu")).sorted().toList()) {
                units.add(moduleUnit(out, cu, Files.readString(Path.of(cu.toString().replaceAll("\\.cu$", ".ptx")))));
            }
        }
        Path driverUnit = emulator.resolve("fake_driver.cpp");
        units.add(driverUnit);
        List<String> objects = new ArrayList<>();
        List<Job> compiles = new ArrayList<>();
        for (Path unit : units) {
            String object = out.resolve(unit.getFileName() + ".o").toString();
            if (!unit.equals(driverUnit)) objects.add(object);
            // As the PTX build: no contraction of a * b + c (nvcc --fmad=false), C++17.
            compiles.add(start(out, "g++", "-std=c++17", "-O1", "-fPIC", "-ffp-contract=off", "-fno-strict-aliasing",
                    "-I" + emulator, "-I" + sources, "-c", unit.toString(), "-o", object));
        }
        for (Job job : compiles) job.finish();
        List<String> link = new ArrayList<>(List.of("g++", "-shared", "-o", library.toString()));
        link.addAll(objects);
        start(out, link.toArray(String[]::new)).finish();
        List<String> linkDriver = new ArrayList<>(List.of("g++", "-shared", "-Wl,-soname,libcuda.so.1", "-o",
                driver.toString(), out.resolve(driverUnit.getFileName() + ".o").toString()));
        linkDriver.addAll(objects);
        start(out, linkDriver.toArray(String[]::new)).finish();
        Files.writeString(stamp, digest);
        return library;
    }

    /** A translation unit for one module: its .cu on the host, and each entry point of its PTX registered. */
    private static Path moduleUnit(Path out, Path cu, String ptx) throws IOException {
        String module = cu.getFileName().toString().replaceAll("\\.cu$", "");
        StringBuilder unit = new StringBuilder("#include \"cuda_host.h\"\n#include \"emulator.h\"\n#include \"")
                .append(cu).append("\"\n");
        for (String entry : PtxEntries.parse(ptx).keySet()) unit.append("EMU_ENTRY(").append(entry).append(")\n");
        Path file = out.resolve("module_" + module + ".cpp");
        Files.writeString(file, unit);
        return file;
    }

    private record Job(List<String> command, Process process) {
        void finish() throws IOException, InterruptedException {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("the kernel emulator did not build (" + String.join(" ", command) + "): "
                        + output);
            }
        }
    }

    private static Job start(Path dir, String... command) throws IOException {
        try {
            return new Job(List.of(command),
                    new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .start());
        } catch (IOException e) {
            throw new IOException("the kernel emulator needs " + command[0] + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 over every file of the given folders (names and contents, in name order). */
    private static String digest(Path... dirs) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path dir : dirs) {
                List<Path> files;
                try (Stream<Path> s = Files.list(dir)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    md.update(Files.readAllBytes(f));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

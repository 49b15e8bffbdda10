package dev.myelin.cuda.kernels;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The committed PTX must be what scripts/build-ptx.sh makes of the committed CUDA sources.
 * Always (no nvcc needed): SOURCES.sha256 records the current hash of every source, of the nvcc
 * flags in the script, and of every committed PTX. Where nvcc is installed: a fresh build into a
 * temporary folder (which also assembles each PTX with ptxas) gives the committed PTX, comment
 * lines aside.
 */
class PtxFreshnessTest {
    private static final String FIX = "; run scripts/build-ptx.sh and commit its output";
    private static final String FLAGS_LINE = "(nvcc flags and version)";

    @Test
    void recordedHashesMatchTheSourcesAndThePtx() throws IOException {
        Map<String, String> recorded = manifest(CudaSources.ptxDir().resolve("SOURCES.sha256"));
        Path root = CudaSources.root();
        TreeSet<String> sources = new TreeSet<>();
        try (var files = Files.list(CudaSources.sources())) {
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".cu") || n.endsWith(".cuh"))
                    .forEach(n -> sources.add(CudaSources.SOURCES_REL + "/" + n));
        }
        List<String> problems = new ArrayList<>();
        for (String src : sources) {
            String want = recorded.get(src);
            if (want == null) problems.add(src + " is not recorded (a new source?)");
            else if (!want.equals(sha256(root.resolve(src)))) problems.add(src + " changed since the PTX was built");
        }
        for (String path : recorded.keySet()) {
            if (path.startsWith(CudaSources.SOURCES_REL + "/") && !sources.contains(path)) {
                problems.add(path + " is recorded but no longer exists");
            }
        }
        for (String module : CudaSources.modules()) {
            Path ptx = CudaSources.ptxDir().resolve(module + ".ptx");
            String want = recorded.get("ptx/" + module + ".ptx");
            if (!Files.exists(ptx)) problems.add(module + ".ptx is missing");
            else if (want == null) problems.add("ptx/" + module + ".ptx is not recorded");
            else if (!want.equals(sha256(ptx))) problems.add(module + ".ptx was changed by hand or by another build");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems) + FIX);
    }

    @Test
    void recordedFlagsAreTheScriptsFlags() {
        String manifest = CudaSources.read(CudaSources.ptxDir().resolve("SOURCES.sha256"));
        String flags = header(manifest, "nvcc-flags"), version = header(manifest, "nvcc-version");
        Matcher m = Pattern.compile("(?m)^NVCC_FLAGS=\"([^\"]*)\"")
                .matcher(CudaSources.read(CudaSources.buildScript()));
        assertTrue(m.find(), "scripts/build-ptx.sh has no NVCC_FLAGS=\"...\" line");
        assertEquals(m.group(1), flags, "the nvcc flags changed since the PTX was built" + FIX);
        String text = flags + "\n" + version + "\n";
        assertEquals(manifest(manifestPath()).get(FLAGS_LINE), sha256(text.getBytes(StandardCharsets.UTF_8)),
                "the recorded flags and version do not match their hash" + FIX);
    }

    @Test
    void aFreshBuildGivesTheCommittedPtx(@TempDir Path out) throws Exception {
        Path nvcc = CudaSources.nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc not found: only the recorded hashes were checked");
        String manifest = CudaSources.read(manifestPath());
        String version = versionLine(nvcc);
        Assumptions.assumeTrue(version.equals(header(manifest, "nvcc-version")),
                "nvcc here is '" + version + "', the PTX was built with '" + header(manifest, "nvcc-version")
                        + "': PTX text may differ between versions, so only the recorded hashes were checked");
        ProcessBuilder pb = new ProcessBuilder("bash", CudaSources.buildScript().toString(), out.toString())
                .redirectErrorStream(true);
        pb.environment().put("NVCC", nvcc.toString());
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("scripts/build-ptx.sh did not finish in 10 minutes:\n" + log);
        }
        assertEquals(0, p.exitValue(), "scripts/build-ptx.sh failed (nvcc or ptxas):\n" + log);
        List<String> stale = new ArrayList<>();
        for (String module : CudaSources.modules()) {
            String fresh = Files.readString(out.resolve(module + ".ptx"));
            if (!withoutComments(fresh).equals(withoutComments(CudaSources.ptx(module)))) stale.add(module + ".ptx");
        }
        assertTrue(stale.isEmpty(), "stale PTX " + stale + FIX);
    }

    private static Path manifestPath() {
        return CudaSources.ptxDir().resolve("SOURCES.sha256");
    }

    /** path -> sha256 of the manifest's "<hash>  <path>" lines. */
    private static Map<String, String> manifest(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : CudaSources.read(file).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int gap = line.indexOf("  ");
            if (gap != 64) throw new IllegalStateException("bad line in SOURCES.sha256: " + line);
            out.put(line.substring(gap + 2), line.substring(0, gap));
        }
        return out;
    }

    private static String header(String manifest, String key) {
        Matcher m = Pattern.compile("(?m)^# " + Pattern.quote(key) + ": (.*)$").matcher(manifest);
        if (!m.find()) throw new IllegalStateException("SOURCES.sha256 has no '# " + key + ":' line" + FIX);
        return m.group(1);
    }

    private static String versionLine(Path nvcc) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(nvcc.toString(), "--version").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        for (String line : text.split("\n")) if (line.startsWith("Cuda compilation tools")) return line.trim();
        return "(unknown nvcc version)";
    }

    /** PTX without its // comment lines (the generator's header), which carry no code. */
    private static String withoutComments(String ptx) {
        StringBuilder b = new StringBuilder();
        for (String line : ptx.split("\n")) if (!line.stripLeading().startsWith("//")) b.append(line).append('\n');
        return b.toString();
    }

    private static String sha256(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

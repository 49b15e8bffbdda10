package dev.myelin.distributed.nccl;

import dev.myelin.cuda.GpuTest;
import dev.myelin.cuda.kernels.HostEmulator;
import dev.myelin.cuda.runtime.LibraryLocator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two ranks as two JVMs on the stand-in driver and the stand-in NCCL: the NCCL side (unique id over the
 * bootstrap, communicator, collectives on the CUDA backend's device memory and stream, errors) is the
 * production code. The expected values are computed here from each rank's inputs.
 */
@GpuTest
class TwoRanksTest {
    private static final long STAND_IN_TIMEOUT_MS = 3000;

    @Test
    void twoRanksReduceAndBroadcastCudaTensorsAndFailWithoutHanging(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("myelin.test.fakeDriver"),
                "two ranks on one GPU need the stand-in driver (real NCCL rejects two ranks on one device)");
        StandInNccl.install();
        List<Process> ranks = new ArrayList<>();
        for (int rank = 0; rank < 2; rank++) ranks.add(start(dir, rank));
        List<Map<String, String>> out = new ArrayList<>();
        for (int rank = 0; rank < 2; rank++) {
            Process p = ranks.get(rank);
            Path log = dir.resolve("rank" + rank + ".log");
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (!exited) {
                ranks.forEach(Process::destroyForcibly);
                throw new AssertionError("rank " + rank + " did not finish within 60 s:\n" + text);
            }
            assertEquals(0, p.exitValue(), () -> "rank exited non-zero:\n" + text);
            out.add(lines(text));
        }

        float[] a = TwoRankChild.input(0, 6), b = TwoRankChild.input(1, 6);
        float[] sum = new float[6];
        for (int i = 0; i < 6; i++) sum[i] = a[i] + b[i];
        for (int rank = 0; rank < 2; rank++) {
            Map<String, String> r = out.get(rank);
            assertEquals(Arrays.toString(sum), r.get("sum-f32"), "rank " + rank);
            assertEquals(Arrays.toString(new long[] {1, 300, -7}), r.get("sum-i64"), "rank " + rank);
            assertEquals(Arrays.toString(new double[] {1.0, -0.5, 1.5}), r.get("avg-f64"), "rank " + rank);
            assertEquals(Arrays.toString(new double[] {1.5, 0.0, 3.0}), r.get("max-f64"), "rank " + rank);
            assertEquals(Arrays.toString(new double[] {0.5, -1.0, 0.0}), r.get("min-f64"), "rank " + rank);
            assertEquals(Arrays.toString(TwoRankChild.input(1, 4)), r.get("broadcast-from-1"), "rank " + rank);
            int n = TwoRankChild.LARGE;
            float[] x = TwoRankChild.input(0, n), y = TwoRankChild.input(1, n);
            assertEquals(Arrays.toString(new float[] {x[0] + y[0], x[n / 2] + y[n / 2], x[n - 1] + y[n - 1]}),
                    r.get("large-sum-head-tail"), "rank " + rank);
            assertEquals("[10, 11]", r.get("host-allgather"), "rank " + rank);
            String mismatch = r.get("mismatch");
            assertTrue(mismatch.contains("ncclAllReduce") && mismatch.contains("rank " + rank + " of 2")
                    && mismatch.contains("invalid usage"), mismatch);
        }
        String gone = out.get(0).entrySet().stream().filter(e -> e.getKey().startsWith("peer-gone"))
                .map(e -> e.getKey() + ": " + e.getValue()).findFirst().orElseThrow();
        assertTrue(gone.contains("ncclAllReduce") && gone.contains("rank 0 of 2") && gone.contains("remote process"),
                gone);
        long ms = Long.parseLong(gone.replaceAll("^peer-gone after (\\d+) ms.*$", "$1"));
        assertTrue(ms >= STAND_IN_TIMEOUT_MS - 100 && ms < STAND_IN_TIMEOUT_MS + 10_000, gone);
    }

    private static Process start(Path dir, int rank) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-cp", System.getProperty("java.class.path"),
                "-D" + LibraryLocator.LIBPATH_PROPERTY + "=" + System.getProperty(LibraryLocator.LIBPATH_PROPERTY),
                "-Dmyelin.cuda.device=0", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                TwoRankChild.class.getName(), Integer.toString(rank), "2", dir.toString(),
                HostEmulator.fakeDriver().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("rank" + rank + ".log").toFile());
        pb.environment().put("MYELIN_FAKE_NCCL_TIMEOUT_MS", Long.toString(STAND_IN_TIMEOUT_MS));
        return pb.start();
    }

    /** "name: value" lines by name (a name runs up to the first ": "). */
    private static Map<String, String> lines(String text) {
        Map<String, String> out = new HashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) out.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return out;
    }
}

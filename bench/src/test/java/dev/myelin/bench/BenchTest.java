package dev.myelin.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every workload runs (in --quick mode) and reports one well-formed JSON line; timings are not checked. */
class BenchTest {
    private static final Pattern MEDIAN = Pattern.compile("\"median_ms\": ([0-9.]+)");

    @Test
    void everyWorkloadWritesOneLineWithAPositiveMedian(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench.jsonl");
        Bench.main(new String[] {"--backend", "cpu", "--quick", "--out", out.toString(), "--filter",
                "^(?!sgemm_2048)"});
        List<String> lines = Files.readAllLines(out);
        Set<String> expected = Bench.workloads().stream().map(Workload::name)
                .filter(n -> !n.equals("sgemm_2048")).collect(Collectors.toSet());
        assertEquals(expected.size(), lines.size(), String.join("\n", lines));
        for (String line : lines) {
            String name = line.replaceAll(".*\"workload\": \"([a-z0-9_]+)\".*", "$1");
            assertTrue(expected.remove(name), "unexpected or repeated workload in " + line);
            Matcher m = MEDIAN.matcher(line);
            assertTrue(m.find() && Double.parseDouble(m.group(1)) > 0, line);
            assertTrue(line.contains("\"framework\": \"myelin\"") && line.contains("\"backend\": \"cpu\""), line);
            assertTrue(line.startsWith("{") && line.endsWith("}"), line);
        }
        String gemm = lines.stream().filter(l -> l.contains("sgemm_256")).findFirst().orElseThrow();
        assertTrue(gemm.contains("\"gflops\""), gemm);
        String train = lines.stream().filter(l -> l.contains("mlp_train_step")).findFirst().orElseThrow();
        assertTrue(train.contains("\"samples_per_s\""), train);
    }

    @Test
    void unknownOptionsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Bench.main(new String[] {"--thread", "2"}));
        assertTrue(e.getMessage().contains("--thread"), e.getMessage());
    }
}

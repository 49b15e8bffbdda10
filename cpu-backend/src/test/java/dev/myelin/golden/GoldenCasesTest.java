package dev.myelin.golden;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * PyTorch's golden cases: every case of every {@code *.json} in the folder named by the system
 * property {@code myelin.golden.dir} (schema and ops in that folder's README), run through
 * Myelin's public API in float64 on the CPU backend by {@link GoldenRunner}, one dynamic test
 * per case named {@code file/case}, so that a run lists every failing case. Without the folder
 * the whole factory is skipped with a message saying where it looked.
 */
class GoldenCasesTest {
    static final String DIR_PROPERTY = "myelin.golden.dir";

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        Path dir = goldenDir();
        if (dir == null || !Files.isDirectory(dir)) {
            return skipped("no golden folder at " + (dir != null ? dir : "../shared/golden above "
                    + Path.of("").toAbsolutePath()) + " (set -D" + DIR_PROPERTY + "=<folder>)");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        if (files.isEmpty()) return skipped("no *.json in " + dir);
        assertEquals("cpu", Backends.getDefault().name(), "golden cases run on the CPU backend");
        return files.stream().flatMap(GoldenCasesTest::casesOf);
    }

    /** The folder named by the property, else ../shared/golden from the repository root, found upwards. */
    static Path goldenDir() {
        String property = System.getProperty(DIR_PROPERTY);
        if (property != null && !property.isBlank()) return Path.of(property).toAbsolutePath().normalize();
        for (Path d = Path.of("").toAbsolutePath().getParent(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("golden");
            if (Files.isDirectory(candidate)) return candidate;
        }
        return null;
    }

    /** A single skipped test carrying the reason, so that reports count and show the skip. */
    private static Stream<DynamicTest> skipped(String why) {
        String message = "GoldenCasesTest skipped: " + why;
        System.err.println(message);
        return Stream.of(dynamicTest("golden cases", () -> Assumptions.abort(message)));
    }

    /** One test per case; a file that cannot be read is one failing test of its own. */
    private static Stream<DynamicTest> casesOf(Path file) {
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        JsonNode root;
        try {
            root = GoldenJson.read(file);
        } catch (IOException e) {
            return Stream.of(dynamicTest(stem, () -> fail("cannot read " + file + ": " + e.getMessage(), e)));
        }
        JsonNode cases = root.get("cases");
        if (cases == null || !cases.isArray()) {
            return Stream.of(dynamicTest(stem, () -> fail(file + " has no \"cases\" list")));
        }
        JsonNode tolerance = root.get("tolerance");
        return StreamSupport.stream(cases.spliterator(), false).map(node -> {
            String label = stem + "/" + node.path("name").asText("(unnamed)");
            return dynamicTest(label, () -> GoldenRunner.run(label, node, tolerance));
        });
    }
}

package dev.myelin.cuda;

import dev.myelin.cuda.kernels.CudaSources;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CUDA backend's packages are layered without a cycle: {@code dev.myelin.cuda} (backend and
 * families) uses {@code kernels} and {@code runtime}; {@code kernels} uses {@code runtime}; neither
 * names {@code dev.myelin.cuda}, and {@code runtime} does not name {@code kernels}.
 */
class PackageLayeringTest {
    private static final Path MAIN = Path.of("cuda-backend/src/main/java/dev/myelin/cuda");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.myelin\\.cuda(\\.kernels|\\.runtime)?\\.[A-Z]");

    @Test
    void lowerPackagesNeverNameTheOnesAbove() throws IOException {
        List<String> upward = new ArrayList<>();
        upward.addAll(references("runtime", List.of("", ".kernels")));
        upward.addAll(references("kernels", List.of("")));
        assertEquals(List.of(), upward, "references from runtime or kernels up to the packages that use them");
    }

    /** "file: package" for each line of code in package dir that names one of the forbidden packages. */
    private static List<String> references(String dir, List<String> forbidden) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(CudaSources.root().resolve(MAIN).resolve(dir))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    String code = line.replaceAll("//.*", "");
                    if (code.trim().startsWith("*")) continue; // Javadoc prose may name the backend
                    Matcher m = REFERENCE.matcher(code);
                    while (m.find()) {
                        String pkg = m.group(1) == null ? "" : m.group(1);
                        if (forbidden.contains(pkg)) out.add(f.getFileName() + ": dev.myelin.cuda" + pkg);
                    }
                }
            }
        }
        return out;
    }
}

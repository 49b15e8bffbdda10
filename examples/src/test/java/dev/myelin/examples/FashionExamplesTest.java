package dev.myelin.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Fashion-MNIST examples end to end on a few images (full runs are the examples themselves;
 * their numbers are in the README): they train, write curves and checkpoints, and learn.
 */
class FashionExamplesTest {
    @TempDir
    Path out;

    private static double lastValAccuracy(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        return Double.parseDouble(lines.getLast().split(",")[4]);
    }

    @Test
    void mlpTrainsOnTheEmbeddedSubsetOrTheFullDataset() throws IOException {
        FashionMlp.main(new String[] {"--epochs", "2", "--limit", "2000", "--no-progress", "--out", out.toString()});
        assertTrue(lastValAccuracy(out.resolve("fashion-mlp.csv")) > 0.7);
        assertTrue(Files.size(out.resolve("fashion-mlp.png")) > 1000);
        assertTrue(Files.size(out.resolve("fashion-mlp.safetensors")) > 4 * 1_000_000);
    }

    /** Runs {@code main} and returns what it printed. */
    private static String printed(Runnable main) {
        var printed = new java.io.ByteArrayOutputStream();
        var stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true));
        try {
            main.run();
        } finally {
            System.setOut(stdout);
        }
        return printed.toString();
    }

    @Test
    void mlpResumesWhereItsCheckpointStopped() throws IOException {
        String[] common = {"--limit", "300", "--no-progress", "--out", out.toString()};
        FashionMlp.main(concat(common, "--epochs", "1"));
        Path checkpoint = out.resolve("fashion-mlp.safetensors");
        String log = printed(() -> FashionMlp.main(concat(common, "--epochs", "2", "--resume", checkpoint.toString())));
        assertTrue(log.contains("resumed from " + checkpoint + " after epoch 1 of 2"), log);
        assertTrue(log.contains("epoch 2/2"), log);
        assertEquals(3, Files.readAllLines(out.resolve("fashion-mlp.csv")).size());
    }

    @Test
    void cnnResumedFromAFinishedRunSaysSoAndDoesNotTrain() throws IOException {
        String[] args = {"--epochs", "1", "--limit", "100", "--no-progress", "--out", out.toString()};
        FashionCnn.main(args);
        Path checkpoint = out.resolve("fashion-cnn.safetensors");
        String log = printed(() -> FashionCnn.main(concat(args, "--resume", checkpoint.toString())));
        assertTrue(log.contains("nothing to train"), log);
        assertFalse(log.contains("epoch 1/1"), log);
        assertTrue(log.contains("test accuracy"), log);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void distillationTrainsTeacherAndBothStudents() throws IOException {
        Distillation.main(new String[] {"--epochs", "1", "--limit", "300", "--no-progress", "--out", out.toString()});
        for (String run : List.of("distill-teacher", "distill-student-alone", "distill-student-taught")) {
            assertEquals(2, Files.readAllLines(out.resolve(run + ".csv")).size(), run);
        }
    }

    @Test
    void optimizerComparisonWritesOneChart() throws IOException {
        OptimizerComparison.main(new String[] {"--epochs", "2", "--limit", "300", "--no-progress", "--out",
                out.toString()});
        assertTrue(Files.size(out.resolve("optimizer-comparison.png")) > 1000);
    }

    @Test
    void memoryCheckReportsAtStep100AndTheLastStepAcrossEpochs() {
        var printed = new java.io.ByteArrayOutputStream();
        var stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true));
        try {
            // 256 images at batch 128 (last batch dropped): 2 steps per epoch, so 130 steps span 65 epochs.
            MemoryCheck.main(new String[] {"--steps", "130", "--limit", "256"});
        } finally {
            System.setOut(stdout);
        }
        List<String> reports = printed.toString().lines().filter(l -> l.startsWith("step")).toList();
        assertEquals(2, reports.size(), printed.toString());
        assertTrue(reports.get(0).matches("step +100 +heap in use +[0-9.]+ MiB.*"), reports.get(0));
        assertTrue(reports.get(1).startsWith("step    130"), reports.get(1));
    }

    @Test
    void unknownOptionsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ExampleArgs.parse(new String[] {"--epoch", "3"}, 1, 1, "runs"));
        assertTrue(e.getMessage().contains("\"--epoch\""), e.getMessage());
    }
}

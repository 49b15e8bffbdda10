package dev.myelin.examples;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The examples' command line: {@code --data DIR}, {@code --epochs N}, {@code --batch-size N},
 * {@code --seed N}, {@code --out DIR}, {@code --no-progress}, and {@code --limit N} (use only the
 * first N training and test images, for a quick try). Unknown options are an error that lists
 * the known ones.
 */
record ExampleArgs(Path data, int epochs, int batchSize, long seed, Path out, boolean progress, int limit) {
    private static final Set<String> WITH_VALUE = Set.of("--data", "--epochs", "--batch-size", "--seed", "--out", "--limit");

    static ExampleArgs parse(String[] args, int defaultEpochs, int defaultBatchSize, String defaultOut) {
        Map<String, String> values = new HashMap<>();
        boolean progress = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-progress")) {
                progress = false;
            } else if (WITH_VALUE.contains(a) && i + 1 < args.length) {
                values.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException("unknown or incomplete option \"" + a + "\"; known: " + WITH_VALUE + " with a value, --no-progress");
            }
        }
        return new ExampleArgs(
                values.containsKey("--data") ? Path.of(values.get("--data")) : null,
                Integer.parseInt(values.getOrDefault("--epochs", Integer.toString(defaultEpochs))),
                Integer.parseInt(values.getOrDefault("--batch-size", Integer.toString(defaultBatchSize))),
                Long.parseLong(values.getOrDefault("--seed", "0")),
                Path.of(values.getOrDefault("--out", defaultOut)),
                progress,
                Integer.parseInt(values.getOrDefault("--limit", Integer.toString(Integer.MAX_VALUE))));
    }
}

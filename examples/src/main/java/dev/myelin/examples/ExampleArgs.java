package dev.myelin.examples;

import dev.myelin.train.Trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The examples' command line: {@code --data DIR}, {@code --epochs N}, {@code --batch-size N},
 * {@code --seed N}, {@code --out DIR}, {@code --no-progress}, {@code --limit N} (use only the
 * first N training and test images, for a quick try) and, for the examples that train one model,
 * {@code --resume FILE} (continue from a checkpoint the example wrote) and {@code --distributed} (train as
 * one rank of a data-parallel job: see {@link DataParallel}). Counts must be >= 1.
 * {@link #parse} names a bad option or value in an IllegalArgumentException; the programs call
 * {@link #parseOrExit}, which prints that and the usage line and exits with status 2.
 */
record ExampleArgs(Path data, int epochs, int batchSize, long seed, Path out, boolean progress, int limit,
        Path resume, boolean distributed) {
    private static final List<String> WITH_VALUE = List.of("--epochs", "--batch-size", "--seed", "--data", "--out",
            "--limit");
    /** The exit status for a bad command line, as getopt-style tools use. */
    static final int USAGE_STATUS = 2;

    /** {@link #parse(String[], int, int, String, boolean)} for an example without {@code --resume}. */
    static ExampleArgs parse(String[] args, int defaultEpochs, int defaultBatchSize, String defaultOut) {
        return parse(args, defaultEpochs, defaultBatchSize, defaultOut, false);
    }

    /** The options in {@code args}; IllegalArgumentException naming an unknown option or a bad value. */
    static ExampleArgs parse(String[] args, int defaultEpochs, int defaultBatchSize, String defaultOut,
            boolean resumable) {
        Map<String, String> values = new HashMap<>();
        boolean progress = true, distributed = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean known = WITH_VALUE.contains(a) || resumable && a.equals("--resume");
            if (a.equals("--no-progress")) {
                progress = false;
            } else if (resumable && a.equals("--distributed")) {
                distributed = true;
            } else if (known && i + 1 < args.length) {
                values.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException((known ? "option \"" + a + "\" needs a value"
                        : "unknown option \"" + a + "\"")
                        + "; known: " + String.join(", ", WITH_VALUE) + (resumable ? ", --resume" : "")
                        + " with a value, --no-progress" + (resumable ? ", --distributed" : ""));
            }
        }
        Path resume = values.containsKey("--resume") ? Path.of(values.get("--resume")) : null;
        if (resume != null && !Files.isRegularFile(resume)) {
            throw new IllegalArgumentException("--resume: no such file " + resume);
        }
        return new ExampleArgs(
                values.containsKey("--data") ? Path.of(values.get("--data")) : null,
                count(values, "--epochs", defaultEpochs),
                count(values, "--batch-size", defaultBatchSize),
                number(values.get("--seed"), "--seed", 0),
                Path.of(values.getOrDefault("--out", defaultOut)),
                progress,
                count(values, "--limit", Integer.MAX_VALUE),
                resume,
                distributed);
    }

    /** {@link #parse}, or on a bad command line: the problem and the usage line on stderr, then exit status 2. */
    static ExampleArgs parseOrExit(String example, String[] args, int defaultEpochs, int defaultBatchSize,
            String defaultOut, boolean resumable) {
        try {
            return parse(args, defaultEpochs, defaultBatchSize, defaultOut, resumable);
        } catch (IllegalArgumentException e) {
            throw exit(example, e.getMessage(), usage(example, resumable ? " [--resume FILE] [--distributed]" : ""));
        }
    }

    /** The usage line; {@code extra} lists an example's own options. */
    static String usage(String example, String extra) {
        return "usage: ./myelin example " + example + extra
                + " [--epochs N] [--batch-size N] [--seed N] [--data DIR] [--out DIR] [--limit N] [--no-progress]";
    }

    /**
     * Prints {@code problem} and {@code usage} on stderr and exits with status 2. Never returns
     * normally; its result type lets a caller write {@code throw exit(...)} to end a branch.
     */
    static IllegalStateException exit(String example, String problem, String usage) {
        System.err.println(example + ": " + problem);
        System.err.println(usage);
        System.exit(USAGE_STATUS);
        return new IllegalStateException("unreachable");
    }

    /**
     * Continues {@code trainer} from {@code --resume}, if given; a checkpoint it cannot use (another
     * model or optimizer, more epochs than {@code --epochs}, ...) is a message and exit status 1.
     */
    void resume(String example, Trainer trainer) {
        if (resume == null) return;
        try {
            trainer.resume(resume);
        } catch (IllegalArgumentException e) {
            System.err.println(example + ": cannot resume: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + resume, e);
        }
    }

    private static int count(Map<String, String> values, String option, int defaultValue) {
        long n = number(values.get(option), option, defaultValue);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be >= 1 (and at most " + Integer.MAX_VALUE + "), got "
                    + values.get(option));
        }
        return (int) n;
    }

    private static long number(String value, String option, long defaultValue) {
        if (value == null) return defaultValue;
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a whole number, got \"" + value + "\"");
        }
    }
}

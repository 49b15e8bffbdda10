package dev.myelin.cpu;

/**
 * The CPU backend's thread count: {@code -Dmyelin.cpu.threads=N} (a positive integer), else the
 * number of cores. A value that is not a positive integer ({@code abc}, {@code 0}, {@code -2}) is
 * an error naming the property and the value, not a silent fallback: the provider reports it as
 * the reason the backend cannot load, so a forced {@code cpu} fails with it and {@code auto} lists
 * it among the skipped backends.
 */
final class CpuThreads {
    static final String PROPERTY = "myelin.cpu.threads";

    private CpuThreads() {}

    /** The count the property asks for, else the cores; IllegalArgumentException when the property is malformed. */
    static int configured() {
        return parse(System.getProperty(PROPERTY), Runtime.getRuntime().availableProcessors());
    }

    /** Why the property cannot be used, or null when it is unset or a positive integer. */
    static String problem() {
        try {
            configured();
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** {@code value} (surrounding blanks allowed) as a positive integer, or {@code byDefault} when null. */
    static int parse(String value, int byDefault) {
        if (value == null) return byDefault;
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            n = 0;
        }
        if (n < 1) {
            throw new IllegalArgumentException("-D" + PROPERTY + "='" + value
                    + "' is not a thread count: expected a positive "
                    + "integer (or leave it unset for one thread per core)");
        }
        return n;
    }
}

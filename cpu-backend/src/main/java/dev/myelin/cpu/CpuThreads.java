package dev.myelin.cpu;

/**
 * The CPU backend's thread count: {@code -Dmyelin.cpu.threads=N} (a positive integer), else the
 * number of cores; and how long its idle workers poll before they sleep: {@code
 * -Dmyelin.cpu.spinMicros=US} (0 or more, default 200). A value that is not such an integer
 * ({@code abc}, {@code 0} threads, {@code -2}) is an error naming the property and the value, not a
 * silent fallback: the provider reports it as the reason the backend cannot load, so a forced
 * {@code cpu} fails with it and {@code auto} lists it among the skipped backends.
 */
final class CpuThreads {
    static final String PROPERTY = "myelin.cpu.threads";
    static final String SPIN_PROPERTY = "myelin.cpu.spinMicros";
    private static final int DEFAULT_SPIN_MICROS = 200;

    private CpuThreads() {}

    /** The count the property asks for, else the cores; IllegalArgumentException when the property is malformed. */
    static int configured() {
        return parse(System.getProperty(PROPERTY), Runtime.getRuntime().availableProcessors());
    }

    /** The idle workers' polling time in nanoseconds; IllegalArgumentException when the property is malformed. */
    static long spinNanos() {
        String value = System.getProperty(SPIN_PROPERTY);
        if (value == null) return DEFAULT_SPIN_MICROS * 1000L;
        try {
            int us = Integer.parseInt(value.trim());
            if (us >= 0) return us * 1000L;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + SPIN_PROPERTY + "='" + value + "' is not a time: expected "
                + "microseconds as an integer of 0 or more (0: idle workers sleep at once; unset: "
                + DEFAULT_SPIN_MICROS + ")");
    }

    /** Why the properties cannot be used, or null when they are unset or well formed. */
    static String problem() {
        try {
            configured();
            spinNanos();
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

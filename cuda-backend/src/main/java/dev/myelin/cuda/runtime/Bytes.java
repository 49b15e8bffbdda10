package dev.myelin.cuda.runtime;

/**
 * Byte counts for people: "1.50 GiB (1610612736 bytes)".
 *
 * <p>Internal: not part of the API.
 */
public final class Bytes {
    private Bytes() {}

    public static String show(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (bytes < 1024) return bytes + " bytes";
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f %s (%d bytes)", v, units[u], bytes);
    }
}

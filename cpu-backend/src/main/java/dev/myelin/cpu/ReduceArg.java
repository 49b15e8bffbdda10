package dev.myelin.cpu;

/** The scan of argmax/argmin over a block of columns, one loop per storage type. */
final class ReduceArg {
    private ReduceArg() {}

    /**
     * For columns c < width starting at base, rows k < n at k * stride: out[oo + c] = index of the
     * first maximum (or minimum), where the first NaN wins (and a NaN best is never replaced).
     */
    static void scan(Object x, int base, int n, int stride, int width, boolean max, long[] out, int oo) {
        if (width == 1) {
            out[oo] = row(x, base, n, stride, max);
            return;
        }
        java.util.Arrays.fill(out, oo, oo + width, 0);
        switch (x) {
            case float[] f -> {
                float[] best = java.util.Arrays.copyOfRange(f, base, base + width);
                for (int k = 1; k < n; k++) {
                    int row = base + k * stride;
                    for (int c = 0; c < width; c++) {
                        float v = f[row + c], b = best[c];
                        if (b == b && (v != v || (max ? v > b : v < b))) {
                            best[c] = v;
                            out[oo + c] = k;
                        }
                    }
                }
            }
            case double[] f -> {
                double[] best = java.util.Arrays.copyOfRange(f, base, base + width);
                for (int k = 1; k < n; k++) {
                    int row = base + k * stride;
                    for (int c = 0; c < width; c++) {
                        double v = f[row + c], b = best[c];
                        if (b == b && (v != v || (max ? v > b : v < b))) {
                            best[c] = v;
                            out[oo + c] = k;
                        }
                    }
                }
            }
            default -> {
                long[] best = new long[width];
                for (int c = 0; c < width; c++) best[c] = Strided.getLong(x, base + c);
                for (int k = 1; k < n; k++) {
                    int row = base + k * stride;
                    for (int c = 0; c < width; c++) {
                        long v = Strided.getLong(x, row + c);
                        if (max ? v > best[c] : v < best[c]) {
                            best[c] = v;
                            out[oo + c] = k;
                        }
                    }
                }
            }
        }
    }

    /** The same scan for one column (a row when stride is 1), without buffers. */
    private static long row(Object x, int base, int n, int stride, boolean max) {
        int best = 0;
        switch (x) {
            case float[] f -> {
                float b = f[base];
                for (int k = 1; k < n && b == b; k++) {
                    float v = f[base + k * stride];
                    if (v != v || (max ? v > b : v < b)) {
                        best = k;
                        b = v;
                    }
                }
            }
            case double[] f -> {
                double b = f[base];
                for (int k = 1; k < n && b == b; k++) {
                    double v = f[base + k * stride];
                    if (v != v || (max ? v > b : v < b)) {
                        best = k;
                        b = v;
                    }
                }
            }
            default -> {
                long b = Strided.getLong(x, base);
                for (int k = 1; k < n; k++) {
                    long v = Strided.getLong(x, base + k * stride);
                    if (max ? v > b : v < b) {
                        best = k;
                        b = v;
                    }
                }
            }
        }
        return best;
    }
}

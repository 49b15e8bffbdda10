package dev.myelin.cpu;

/** Copy with dtype conversion between runs of two storages (the copy and cast kernel). */
final class ElementwiseCopy {
    private ElementwiseCopy() {}

    /**
     * Copies n elements from src (start so, step ss) to dst (start d0, step ds). Floating values
     * convert to integers by truncation toward zero; integer to integer copies are exact.
     */
    static void run(Object src, int so, int ss, Object dst, int d0, int ds, int n) {
        if (ss == 1 && ds == 1 && src.getClass() == dst.getClass()) {
            System.arraycopy(src, so, dst, d0, n);
            return;
        }
        boolean unit = ss == 1 && ds == 1;
        switch (src) {
            case float[] s when dst instanceof float[] d -> {
                for (int i = 0; i < n; i++) d[d0 + i * ds] = s[so + i * ss];
            }
            case double[] s when dst instanceof double[] d -> {
                for (int i = 0; i < n; i++) d[d0 + i * ds] = s[so + i * ss];
            }
            case float[] s when dst instanceof double[] d -> {
                if (unit) for (int i = 0; i < n; i++) d[d0 + i] = s[so + i];
                else for (int i = 0; i < n; i++) d[d0 + i * ds] = s[so + i * ss];
            }
            case double[] s when dst instanceof float[] d -> {
                if (unit) for (int i = 0; i < n; i++) d[d0 + i] = (float) s[so + i];
                else for (int i = 0; i < n; i++) d[d0 + i * ds] = (float) s[so + i * ss];
            }
            default -> {
                if (isFloating(src) || isFloating(dst)) {
                    for (int i = 0; i < n; i++) Strided.set(dst, d0 + i * ds, Strided.get(src, so + i * ss));
                } else {
                    for (int i = 0; i < n; i++) Strided.setLong(dst, d0 + i * ds, Strided.getLong(src, so + i * ss));
                }
            }
        }
    }

    static boolean isFloating(Object array) {
        return array instanceof float[] || array instanceof double[];
    }
}

package dev.myelin.ops;

/** A primitive array read back from a device, with conversions. */
public record HostData(Object array) {
    public int length() {
        return java.lang.reflect.Array.getLength(array);
    }

    public double[] toDoubles() {
        if (array instanceof double[] d) return d;
        int n = length();
        double[] out = new double[n];
        switch (array) {
            case float[] f -> { for (int i = 0; i < n; i++) out[i] = f[i]; }
            case int[] a -> { for (int i = 0; i < n; i++) out[i] = a[i]; }
            case long[] a -> { for (int i = 0; i < n; i++) out[i] = a[i]; }
            default -> throw new IllegalStateException("unexpected host array " + array.getClass());
        }
        return out;
    }

    public float[] toFloats() {
        if (array instanceof float[] f) return f;
        double[] d = toDoubles();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    public long[] toLongs() {
        if (array instanceof long[] l) return l;
        double[] d = toDoubles();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (long) d[i];
        return out;
    }
}

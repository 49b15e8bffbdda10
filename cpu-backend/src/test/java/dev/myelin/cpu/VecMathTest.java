package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VecMath's exp and tanh: within an ulp of Math's, the special values, and the same bits in the interpreter. */
class VecMathTest {
    private static final int L = VecFloat.L;

    /** Every {@code step}-th float bit pattern from lo to hi (both finite, same sign handled by the caller). */
    private static float[] sweep(float from, float to, int step) {
        int a = Float.floatToIntBits(from), b = Float.floatToIntBits(to);
        int count = Math.abs(b - a) / step + 1, dir = b >= a ? step : -step;
        float[] v = new float[((count + L - 1) / L) * L];
        for (int i = 0; i < v.length; i++) v[i] = Float.intBitsToFloat(a + Math.min(i, count - 1) * dir);
        return v;
    }

    private static float[] apply(boolean tanh, float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += L) {
            FloatVector v = FloatVector.fromArray(VecFloat.F, x, i);
            (tanh ? VecMath.tanh(v) : VecMath.exp(v)).intoArray(y, i);
        }
        return y;
    }

    private static long ulps(float a, float b) {
        if (Float.isNaN(a) && Float.isNaN(b) || a == b) return 0;
        long ia = Float.floatToIntBits(a), ib = Float.floatToIntBits(b);
        if ((ia < 0) != (ib < 0)) return (ia & 0x7fffffff) + (ib & 0x7fffffff);
        return Math.abs(ia - ib);
    }

    private static void assertWithinAnUlp(boolean tanh, float[] x) {
        float[] y = apply(tanh, x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) (tanh ? Math.tanh(x[i]) : Math.exp(x[i]));
            assertTrue(ulps(y[i], want) <= 1, (tanh ? "tanh(" : "exp(") + x[i] + ") = " + y[i] + ", want " + want);
        }
    }

    @Test
    void expAndTanhAreWithinAnUlpOfMath() {
        for (boolean tanh : new boolean[] {false, true}) {
            assertWithinAnUlp(tanh, sweep(0f, 95f, 4099));
            assertWithinAnUlp(tanh, sweep(-0f, -110f, 4099));
        }
    }

    @Test
    void specialValues() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 88.72283f, 88.72284f,
            -87.33655f, -103.27893f, -104.5f, Float.MIN_VALUE, -1e-30f, 9.5f, -9.5f};
        float[] padded = java.util.Arrays.copyOf(x, ((x.length + L - 1) / L) * L);
        float[] e = apply(false, padded), t = apply(true, padded);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits((float) Math.exp(x[i])), Float.floatToIntBits(e[i]), "exp(" + x[i] + ")");
            assertEquals(Float.floatToIntBits((float) Math.tanh(x[i])), Float.floatToIntBits(t[i]), "tanh(" + x[i] + ")");
        }
    }

    /** A digest of exp and tanh over a sweep, printed by {@link #main} in a JVM that only interprets. */
    static long digest() {
        float[] x = sweep(-0f, -110f, 1 << 19), y = sweep(0f, 95f, 1 << 19);
        long h = 1;
        for (float[] in : List.of(x, y)) {
            for (boolean tanh : new boolean[] {false, true}) {
                for (float v : apply(tanh, in)) h = h * 31 + Float.floatToIntBits(v);
            }
        }
        return h;
    }

    public static void main(String[] args) {
        System.out.println(digest());
    }

    @Test
    void theInterpreterGivesTheSameBitsAsCompiledCode() throws IOException, InterruptedException {
        long compiled = 0;
        for (int i = 0; i < 3000; i++) compiled = digest();  // long enough for C2 to compile apply()
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xint", "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), VecMathTest.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the interpreted JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String last = out.substring(out.lastIndexOf('\n') + 1);
        assertEquals(Long.toString(compiled), last, "interpreted run printed: " + out);
    }
}

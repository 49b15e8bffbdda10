package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VecMath's exp, log, tanh, erf and the Gaussian e^(-x^2) erf gives with it: within an ulp or a few of Math's, the
 * special values, and the same bits in the interpreter.
 */
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

    private enum Function { EXP, LOG, TANH, ERF, GAUSSIAN }

    private static float[] apply(Function f, float[] x) {
        float[] y = new float[x.length];
        if (f != Function.EXP && f != Function.TANH) {
            // An odd length: the padded end of the array loop.
            float[] erf = new float[x.length];
            for (int[] run : new int[][] {{0, x.length - 1}, {x.length - 1, 1}}) {
                if (f == Function.ERF) VecMath.erf(x, run[0], 1f, y, run[0], null, 0, run[1]);
                else if (f == Function.GAUSSIAN) VecMath.erf(x, run[0], 1f, erf, run[0], y, run[0], run[1]);
                else VecMath.log(x, run[0], y, run[0], run[1]);
            }
            return y;
        }
        for (int i = 0; i < x.length; i += L) {
            FloatVector v = FloatVector.fromArray(VecFloat.F, x, i);
            (f == Function.TANH ? VecMath.tanh(v) : VecMath.exp(v)).intoArray(y, i);
        }
        return y;
    }

    private static double reference(Function f, float x) {
        return switch (f) {
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case TANH -> Math.tanh(x);
            case ERF -> ActivationMath.erf(x);
            case GAUSSIAN -> Math.abs(x) >= 10 ? 0 : Math.exp(-(double) x * x);
        };
    }

    private static long ulps(float a, float b) {
        if (Float.isNaN(a) && Float.isNaN(b) || a == b) return 0;
        long ia = Float.floatToIntBits(a), ib = Float.floatToIntBits(b);
        if ((ia < 0) != (ib < 0)) return (ia & 0x7fffffff) + (ib & 0x7fffffff);
        return Math.abs(ia - ib);
    }

    private static void assertWithin(Function f, long maxUlps, float[] x) {
        float[] y = apply(f, x);
        for (int i = 0; i < x.length; i++) {
            float want = (float) reference(f, x[i]);
            assertTrue(ulps(y[i], want) <= maxUlps, f + "(" + x[i] + ") = " + y[i] + ", want " + want);
        }
    }

    @Test
    void expLogAndTanhAreWithinAnUlpOfMathAndErfAndTheGaussianWithinTwo() {
        for (Function f : Function.values()) {
            long maxUlps = f == Function.ERF || f == Function.GAUSSIAN ? 2 : 1;
            assertWithin(f, maxUlps, sweep(0f, 95f, 16411));
            assertWithin(f, maxUlps, sweep(-0f, -110f, 16411));
            assertWithin(f, maxUlps, sweep(95f, Float.MAX_VALUE, 16411));
        }
        // erf's pieces meet at 1 and 3 and it is 1 from 4: every float around them, and every 64th float up to 4;
        // the Gaussian's short path ends at 9.
        for (float edge : new float[] {1f, 3f, 4f}) {
            assertWithin(Function.ERF, 2, sweep(edge * 0.999f, edge * 1.001f, 1));
        }
        assertWithin(Function.ERF, 2, sweep(1e-3f, 4f, 64));
        assertWithin(Function.GAUSSIAN, 2, sweep(1e-3f, 9.5f, 64));
    }

    /**
     * A vector with a lane in erf's far piece (at or beyond 3, or NaN) is computed again, but each of its lanes
     * gets the bits it gets in a vector of its own: a value does not depend on its neighbours.
     */
    @Test
    void erfAndTheGaussianOfALaneDoNotDependOnItsNeighbours() {
        java.util.Random random = new java.util.Random(3);
        float[] x = new float[40 * L];
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * (i % 7 == 0 ? 4 : 1));
        x[5] = Float.NaN;
        x[L + 2] = Float.POSITIVE_INFINITY;
        float[] erf = new float[x.length], gauss = new float[x.length], one = new float[1], oneGauss = new float[1];
        VecMath.erf(x, 0, 0.70710677f, erf, 0, gauss, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            VecMath.erf(x, i, 0.70710677f, one, 0, oneGauss, 0, 1);
            assertEquals(Float.floatToIntBits(one[0]), Float.floatToIntBits(erf[i]), "erf at " + x[i]);
            assertEquals(Float.floatToIntBits(oneGauss[0]), Float.floatToIntBits(gauss[i]), "gaussian at " + x[i]);
        }
    }

    @Test
    void specialValues() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 88.72283f, 88.72284f,
            -87.33655f, -103.27893f, -104.5f, Float.MIN_VALUE, -1e-30f, 9.5f, -9.5f, 4.5f, -6f, 1f, 2f, 3f,
            Float.MAX_VALUE, Float.MIN_NORMAL, 0.70710677f, 0.7071068f};
        float[] padded = java.util.Arrays.copyOf(x, ((x.length + L - 1) / L) * L);
        for (Function f : Function.values()) {
            float[] y = apply(f, padded);
            for (int i = 0; i < x.length; i++) {
                float want = (float) reference(f, x[i]);
                String what = f + "(" + x[i] + ") = " + y[i] + ", want " + want;
                // Exact where the value is a limit (signed zeros, +-1, infinities, NaN) and for exp and
                // tanh; log within an ulp and erf and the Gaussian within 2 elsewhere.
                boolean limit = want == 0 || Math.abs(want) == 1 || Float.isInfinite(want) || Float.isNaN(want);
                if (f == Function.EXP || f == Function.TANH || limit) {
                    assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[i]), what);
                } else {
                    assertTrue(ulps(y[i], want) <= (f == Function.ERF || f == Function.GAUSSIAN ? 2 : 1), what);
                }
            }
        }
    }

    /** A digest of exp and tanh over a sweep, printed by {@link #main} in a JVM that only interprets. */
    static long digest() {
        float[] x = sweep(-0f, -110f, 1 << 20), y = sweep(0f, 95f, 1 << 20);
        long h = 1;
        for (float[] in : List.of(x, y)) {
            for (Function f : Function.values()) {
                for (float v : apply(f, in)) h = h * 31 + Float.floatToIntBits(v);
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

package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.ops.Creation;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The kernels' CPU-versus-CUDA harness: the same random data on both backends, the CPU backend's
 * kernel on one and the launcher under test on the other, outputs poisoned with NaN (or a
 * sentinel for integers) beforehand so that an unwritten element fails. Float32 must agree to a
 * relative error below {@link #F32}, float64 below {@link #F64}, the error taken against the
 * largest magnitude of the expected tensor (single elements of a sum can cancel to near zero).
 * The device-generic tests' harness (backend-tests' {@code dev.myelin.testing.Parity}) compares through
 * this one, with these tolerances.
 */
public final class GpuParity {
    public static final double F32 = 1e-5;
    public static final double F64 = 1e-12;

    private GpuParity() {}

    /** One tensor on both backends; null stands for an absent optional tensor. */
    public record Pair(Tensor cpu, Tensor cuda) {
        Pair map(Function<Tensor, Tensor> view) {
            return new Pair(view.apply(cpu), view.apply(cuda));
        }
    }

    static Backend cpu() {
        return Backends.get("cpu");
    }

    /** The backend of "the cuda side": the GPU's, or the CPU's when the kernels run on the host emulator. */
    static Backend cuda() {
        return KernelTarget.current().backend();
    }

    /** The runner for launchers under test (see {@link KernelTarget}). */
    static KernelRunner runner() {
        return KernelTarget.current().runner();
    }

    public static Pair of(DType dtype, double[] values, int... shape) {
        return new Pair(Creation.fromDoubles(cpu(), dtype, values, shape),
                Creation.fromDoubles(cuda(), dtype, values, shape));
    }

    static double[] uniformValues(long seed, double lo, double hi, long n) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return v;
    }

    public static Pair uniform(long seed, DType dtype, double lo, double hi, int... shape) {
        double[] v = uniformValues(seed, lo, hi, Shape.numel(shape));
        if (!dtype.isFloating()) for (int i = 0; i < v.length; i++) v[i] = Math.floor(v[i]);
        return of(dtype, v, shape);
    }

    static Pair random(long seed, DType dtype, int... shape) {
        return uniform(seed, dtype, -1, 1, shape);
    }

    /** Integers in [0, bound). */
    static Pair indices(long seed, DType dtype, int bound, int... shape) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(Shape.numel(shape))];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(bound);
        return of(dtype, v, shape);
    }

    /** Outputs filled with NaN (floating) or -123456789 (integers) on both backends. */
    public static Pair poisoned(DType dtype, int... shape) {
        double[] v = new double[Math.toIntExact(Shape.numel(shape))];
        Arrays.fill(v, dtype.isFloating() ? Double.NaN : -123456789);
        return of(dtype, v, shape);
    }

    static Pair copyOf(Pair p) {
        return p.cpu() == null ? p : of(p.cpu().dtype(), Creation.toHost(p.cpu()).toDoubles(), p.cpu().shape());
    }

    static void assertClose(String what, Pair p) {
        assertClose(what, p, p.cpu().dtype() == DType.FLOAT64 ? F64 : F32);
    }

    /** CUDA's result against the CPU's; NaNs must sit at the same places. Integers must be equal. */
    public static void assertClose(String what, Pair p, double tol) {
        Tensor expected = p.cpu(), actual = p.cuda();
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shapes differ");
        if (!expected.dtype().isFloating()) {
            assertArrayEquals(Creation.toHost(expected).toLongs(), Creation.toHost(actual).toLongs(), what);
            return;
        }
        double[] e = Creation.toHost(expected).toDoubles(), a = Creation.toHost(actual).toDoubles();
        double scale = 0;
        for (double v : e) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        scale = Math.max(scale, Double.MIN_NORMAL);
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) != Double.isNaN(a[i])) {
                fail(what + ": element " + i + " is " + a[i] + " on cuda but " + e[i] + " on cpu");
            }
            if (Double.isNaN(e[i])) continue;
            if (Double.isInfinite(e[i]) || Double.isInfinite(a[i])) {
                if (e[i] != a[i]) fail(what + ": element " + i + " is " + a[i] + " on cuda but " + e[i] + " on cpu");
                continue;
            }
            double err = Math.abs(e[i] - a[i]) / scale;
            if (err > worstErr) {
                worstErr = err;
                worst = i;
            }
        }
        if (worstErr > tol) {
            fail(String.format("%s: relative error %.3g > %.1g at element %d (cuda %s, cpu %s, scale %s) of shape %s",
                    what, worstErr, tol, worst, a[worst], e[worst], scale, Shape.str(expected.shape())));
        }
    }

    /** Bit-for-bit equality (masks, indices, updates the kernels promise to reproduce exactly). */
    static void assertExact(String what, Pair p) {
        assertArrayEquals(Creation.toHost(p.cpu()).toDoubles(), Creation.toHost(p.cuda()).toDoubles(), what);
    }
}

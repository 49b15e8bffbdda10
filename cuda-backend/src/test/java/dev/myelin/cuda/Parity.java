package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.ops.Creation;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The CPU-versus-CUDA harness: the same random data on both backends, the op run on each, the
 * results compared. Float32 results must agree to a relative error below {@link #F32} (TF32 is
 * off in tests), float64 below {@link #F64}; the error is taken against the largest magnitude of
 * the expected tensor, since single elements of a sum can cancel to near zero.
 */
final class Parity {
    static final double F32 = 1e-5;
    static final double F64 = 1e-12;

    private Parity() {}

    /** One tensor on both backends; {@link #NONE} stands for an absent optional tensor. */
    record Pair(Tensor cpu, Tensor cuda) {
        static final Pair NONE = new Pair(null, null);
    }

    static Backend cpu() {
        return Backends.get("cpu");
    }

    static Backend cuda() {
        return Backends.get("cuda");
    }

    /** Uniform values in [lo, hi) from {@code seed}, on both backends. */
    static Pair uniform(long seed, DType dtype, double lo, double hi, int... shape) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(Shape.numel(shape))];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return of(dtype, v, shape);
    }

    static Pair random(long seed, DType dtype, int... shape) {
        return uniform(seed, dtype, -1, 1, shape);
    }

    static Pair of(DType dtype, double[] values, int... shape) {
        return new Pair(Creation.fromDoubles(cpu(), dtype, values, shape), Creation.fromDoubles(cuda(), dtype, values, shape));
    }

    /** Uninitialised outputs on both backends. */
    static Pair empty(DType dtype, int... shape) {
        return new Pair(Tensor.empty(cpu(), dtype, shape), Tensor.empty(cuda(), dtype, shape));
    }

    /** Both backends filled with the same NaNs, so an output the kernel fails to write is caught. */
    static Pair poisoned(DType dtype, int... shape) {
        double[] nan = new double[Math.toIntExact(Shape.numel(shape))];
        java.util.Arrays.fill(nan, Double.NaN);
        return of(dtype, nan, shape);
    }

    static void assertClose(String what, Pair p) {
        assertClose(what, p.cpu(), p.cuda());
    }

    /** CUDA's result against the CPU's; NaNs must sit at the same places. */
    static void assertClose(String what, Tensor expectedCpu, Tensor actualCuda) {
        assertArrayEquals(expectedCpu.shape(), actualCuda.shape(), what + ": shapes differ");
        double[] e = Creation.toHost(expectedCpu).toDoubles(), a = Creation.toHost(actualCuda).toDoubles();
        double tol = expectedCpu.dtype() == DType.FLOAT64 ? F64 : F32;
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
            double err = Math.abs(e[i] - a[i]) / scale;
            if (err > worstErr || Double.isNaN(err)) {
                worstErr = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                worst = i;
            }
        }
        if (worstErr > tol) {
            fail(String.format("%s: relative error %.3g > %.1g at element %d (cuda %s, cpu %s, scale %s) of shape %s", what,
                    worstErr, tol, worst, a[worst], e[worst], scale, Shape.str(expectedCpu.shape())));
        }
    }

    /** Integer results must match exactly. */
    static void assertSame(String what, Pair p) {
        assertArrayEquals(Creation.toHost(p.cpu()).toLongs(), Creation.toHost(p.cuda()).toLongs(), what);
    }
}

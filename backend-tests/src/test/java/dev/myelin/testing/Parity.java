package dev.myelin.testing;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.cuda.kernels.GpuParity;
import dev.myelin.ops.Creation;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The backend under test against the CPU backend: the same values on both, the op run on each, the
 * results compared. Float32 must agree to a relative error below {@link #F32} (TF32 is off in tests),
 * float64 below {@link #F64}, the error taken against the largest magnitude of the expected tensor;
 * NaNs must sit at the same places; integers must be equal. The tolerances and the comparison are the
 * CUDA parity harness's ({@link GpuParity}), so that none is loosened here. "The backend under test"
 * is the default backend while an {@link OnEachBackend} test runs.
 */
public final class Parity {
    public static final double F32 = GpuParity.F32;
    public static final double F64 = GpuParity.F64;

    private Parity() {}

    /** One tensor on the CPU and on the backend under test; null stands for an absent optional tensor. */
    public record Pair(Tensor cpu, Tensor tested) {
        /** An absent optional tensor on both sides. */
        public static final Pair NONE = new Pair(null, null);

        /** The same view (expand, transpose, slice) of both sides. */
        public Pair map(Function<Tensor, Tensor> view) {
            return new Pair(view.apply(cpu), view.apply(tested));
        }
    }

    public static Backend cpu() {
        return Backends.get(BackendUnderTest.CPU);
    }

    /** The backend under test. */
    public static Backend tested() {
        return Backends.getDefault();
    }

    public static Pair of(DType dtype, double[] values, int... shape) {
        return new Pair(Creation.fromDoubles(cpu(), dtype, values, shape),
                Creation.fromDoubles(tested(), dtype, values, shape));
    }

    /** Uniform values in [lo, hi) from {@code seed} (floored for integer dtypes). */
    public static Pair uniform(long seed, DType dtype, double lo, double hi, int... shape) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(Shape.numel(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * r.nextDouble();
            if (!dtype.isFloating()) v[i] = Math.floor(v[i]);
        }
        return of(dtype, v, shape);
    }

    public static Pair random(long seed, DType dtype, int... shape) {
        return uniform(seed, dtype, -1, 1, shape);
    }

    /** Integers in [0, bound). */
    public static Pair indices(long seed, DType dtype, int bound, int... shape) {
        Random r = new Random(seed);
        double[] v = new double[Math.toIntExact(Shape.numel(shape))];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(bound);
        return of(dtype, v, shape);
    }

    /** Outputs filled with NaN (floating) or -123456789 (integers) on both sides: an unwritten element fails. */
    public static Pair poisoned(DType dtype, int... shape) {
        double[] v = new double[Math.toIntExact(Shape.numel(shape))];
        Arrays.fill(v, dtype.isFloating() ? Double.NaN : -123456789);
        return of(dtype, v, shape);
    }

    /** Uninitialised outputs on both sides. */
    public static Pair empty(DType dtype, int... shape) {
        return new Pair(Tensor.empty(cpu(), dtype, shape), Tensor.empty(tested(), dtype, shape));
    }

    /** The CPU side's current values on both sides (inputs taken from an earlier result). */
    public static Pair copyOf(Pair p) {
        return p.cpu() == null ? p : of(p.cpu().dtype(), Creation.toHost(p.cpu()).toDoubles(), p.cpu().shape());
    }

    public static void assertClose(String what, Pair p) {
        assertClose(what, p.cpu(), p.tested());
    }

    /** The tested backend's result against the CPU's, to {@link #F32} or {@link #F64}. */
    public static void assertClose(String what, Tensor expectedCpu, Tensor actual) {
        assertClose(what, expectedCpu, actual, expectedCpu.dtype() == DType.FLOAT64 ? F64 : F32);
    }

    public static void assertClose(String what, Pair p, double tolerance) {
        assertClose(what, p.cpu(), p.tested(), tolerance);
    }

    public static void assertClose(String what, Tensor expectedCpu, Tensor actual, double tolerance) {
        GpuParity.assertClose(what + " (on " + actual.device().type() + ")", new GpuParity.Pair(expectedCpu, actual),
                tolerance);
    }

    /** Bit-for-bit equality (masks, indices, updates the backends promise to reproduce exactly). */
    public static void assertExact(String what, Pair p) {
        assertArrayEquals(Creation.toHost(p.cpu()).toDoubles(), Creation.toHost(p.tested()).toDoubles(), what);
    }
}

package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.cuda.kernels.GpuParity;
import dev.myelin.ops.Creation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
        return from(GpuParity.uniform(seed, dtype, lo, hi, shape));
    }

    static Pair random(long seed, DType dtype, int... shape) {
        return uniform(seed, dtype, -1, 1, shape);
    }

    static Pair of(DType dtype, double[] values, int... shape) {
        return from(GpuParity.of(dtype, values, shape));
    }

    private static Pair from(GpuParity.Pair p) {
        return new Pair(p.cpu(), p.cuda());
    }

    /** Uninitialised outputs on both backends. */
    static Pair empty(DType dtype, int... shape) {
        return new Pair(Tensor.empty(cpu(), dtype, shape), Tensor.empty(cuda(), dtype, shape));
    }

    /** Both backends filled with the same NaNs, so an output the kernel fails to write is caught. */
    static Pair poisoned(DType dtype, int... shape) {
        return from(GpuParity.poisoned(dtype, shape));
    }

    static void assertClose(String what, Pair p) {
        assertClose(what, p.cpu(), p.cuda());
    }

    /** CUDA's result against the CPU's; NaNs must sit at the same places. */
    static void assertClose(String what, Tensor expectedCpu, Tensor actualCuda) {
        GpuParity.assertClose(what, new GpuParity.Pair(expectedCpu, actualCuda),
                expectedCpu.dtype() == DType.FLOAT64 ? F64 : F32);
    }

    /** Integer results must match exactly. */
    static void assertSame(String what, Pair p) {
        assertArrayEquals(Creation.toHost(p.cpu()).toLongs(), Creation.toHost(p.cuda()).toLongs(), what);
    }
}

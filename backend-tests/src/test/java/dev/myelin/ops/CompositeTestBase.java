package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Fused;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the tests of a fused op and its composite share. They run on every backend
 * ({@link dev.myelin.testing.OnEachBackend}): the composite through that backend's primitives against
 * that backend's fused kernels. Inputs are given as host values, so the fused path and the composite
 * each get their own fresh leaves of the same data.
 */
abstract class CompositeTestBase {
    /** The backend under test: the default one while an {@code @OnEachBackend} test runs. */
    protected Backend backend() {
        return Backends.getDefault();
    }

    /** Skips a fused-vs-composite test on a backend that runs the composite for op anyway. */
    protected void assumeFused(Fused op) {
        Assumptions.assumeTrue(backend().fused().contains(op), backend().name() + " does not fuse " + op);
    }

    /** One input: host values, shape, and whether it requires grad; null stands for an absent argument. */
    record In(double[] values, int[] shape, boolean grad) {
        static In of(Random r, boolean grad, int... shape) {
            return shifted(r, 0, 1, grad, shape);
        }

        /** Gaussian values {@code shift + scale * N(0, 1)}, exactly representable in float32. */
        static In shifted(Random r, double shift, double scale, boolean grad, int... shape) {
            int n = 1;
            for (int d : shape) n *= d;
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = (float) (shift + scale * r.nextGaussian());
            return new In(v, shape, grad);
        }
    }

    /**
     * The output, the gradient of each input that requires grad (null for the others) and each input's
     * values and version counter after the run (what in-place updates left), of one run.
     */
    record Run(double[] y, int[] shape, double[][] grads, double[][] after, int[] versions) {}

    /**
     * Runs f on fresh leaves of ins (dtype, on the backend under test) and, if any input requires
     * grad, backward from a fixed pseudo-random upstream gradient.
     */
    protected Run run(DType dtype, Function<Tensor[], Tensor> f, In... ins) {
        Tensor[] leaves = leaves(dtype, ins);
        Tensor y = f.apply(leaves);
        double[][] grads = new double[ins.length][];
        if (y.requiresGrad()) {
            double[] g = new double[(int) y.numel()];
            Random r = new Random(y.numel());
            for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
            y.backward(Creation.fromDoubles(backend(), y.dtype(), g, y.shape()));
            for (int i = 0; i < ins.length; i++) {
                if (ins[i] != null && ins[i].grad()) grads[i] = leaves[i].grad().toDoubleArray();
            }
        }
        double[][] after = new double[ins.length][];
        int[] versions = new int[ins.length];
        for (int i = 0; i < ins.length; i++) {
            if (ins[i] == null) continue;
            after[i] = leaves[i].toDoubleArray();
            versions[i] = leaves[i].version();
        }
        return new Run(y.toDoubleArray(), y.shape(), grads, after, versions);
    }

    protected Tensor[] leaves(DType dtype, In... ins) {
        Tensor[] t = new Tensor[ins.length];
        for (int i = 0; i < ins.length; i++) {
            if (ins[i] == null) continue;
            t[i] = Creation.fromDoubles(backend(), dtype, ins[i].values(), ins[i].shape()).requiresGrad(ins[i].grad());
        }
        return t;
    }

    /** Fused vs composite: same shape, values within tol, the same gradients within gradTol. */
    protected static void assertSameRun(Run fused, Run composite, double tol, double gradTol, String what) {
        assertArrayEquals(fused.shape(), composite.shape(), what + ": shape");
        assertClose(fused.y(), composite.y(), tol, what + ": values");
        for (int i = 0; i < fused.grads().length; i++) {
            if (fused.grads()[i] == null && composite.grads()[i] == null) continue;
            if (fused.grads()[i] == null || composite.grads()[i] == null) {
                fail(what + ": gradient " + i + " missing on one path");
            }
            assertClose(fused.grads()[i], composite.grads()[i], gradTol, what + ": gradient of input " + i);
        }
        for (int i = 0; i < fused.after().length; i++) {
            if (fused.after()[i] == null) continue;
            assertClose(fused.after()[i], composite.after()[i], tol, what + ": input " + i + " after the run");
            if (fused.versions()[i] != composite.versions()[i]) {
                fail(what + ": input " + i + " has version " + composite.versions()[i] + ", the fused path leaves "
                        + fused.versions()[i]);
            }
        }
    }

    /** {@code |expected - actual| <= tol * (1 + |expected|)} elementwise; NaN only where expected is NaN. */
    protected static void assertClose(double[] expected, double[] actual, double tol, String what) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " elements, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            boolean ok = Double.isNaN(expected[i]) ? Double.isNaN(actual[i])
                    : Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i]));
            if (!ok) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (tol " + tol + ")");
            }
        }
    }

    /** float32 tolerances as the family tests use them (values, gradients); float64 tight. */
    protected static double tol(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
    }

    protected static double gradTol(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-11 : 1e-4;
    }

    protected static final DType[] DTYPES = {DType.FLOAT64, DType.FLOAT32};

    protected static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}

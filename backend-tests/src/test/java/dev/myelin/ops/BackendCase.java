package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Base of the op tests that run on every backend ({@link dev.myelin.testing.OnEachBackend}): every
 * tensor comes from {@link #backend()}, the backend under test.
 */
abstract class BackendCase {
    /** The backend under test: the default one while an {@code @OnEachBackend} test runs. */
    protected Backend backend() {
        return Backends.getDefault();
    }

    Tensor tensor(DType dtype, double[] values, int... shape) {
        return Creation.fromDoubles(backend(), dtype, values, shape);
    }

    Tensor ints(DType dtype, long[] values, int... shape) {
        Object array = dtype == DType.INT64 ? values : java.util.Arrays.stream(values).mapToInt(v -> (int) v).toArray();
        return Creation.fromHost(backend(), dtype, array, values.length, shape);
    }

    Tensor uniform(Random r, DType dtype, double lo, double hi, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * r.nextDouble();
        return tensor(dtype, v, shape);
    }

    /** Elementwise |a - b| <= atol + rtol |b|, with the worst element in the message. */
    static void assertClose(String what, Tensor a, Tensor b, double atol, double rtol) {
        assertEquals(java.util.Arrays.toString(b.shape()), java.util.Arrays.toString(a.shape()), what + ": shape");
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            boolean same = Double.compare(x[i], y[i]) == 0 || Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i]);
            if (!same) throw new AssertionError(what + ": element " + i + " is " + x[i] + ", expected " + y[i]);
        }
    }

    /** Tolerances for comparing two float32 or float64 computations of one formula. */
    static double atol(DType dt) {
        return dt == DType.FLOAT32 ? 1e-5 : 1e-12;
    }

    static double rtol(DType dt) {
        return dt == DType.FLOAT32 ? 1e-5 : 1e-11;
    }
}

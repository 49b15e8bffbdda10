package dev.myelin.cuda;

import dev.myelin.cuda.runtime.Cublas;
import dev.myelin.cuda.runtime.CudaDriverException;
import dev.myelin.cuda.runtime.CudaSettings;
import dev.myelin.cuda.runtime.FakeLibraries;
import dev.myelin.cuda.runtime.NativeLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Myelin's row-major gemm contract mapped onto column-major cuBLAS, checked without a GPU: the
 * calls go through the real foreign bindings ({@link Cublas}) into a stand-in library with
 * cuBLAS's signatures and argument checks (src/test/resources/dev/myelin/cuda/fake/fake_cublas.c,
 * compiled here with the system C compiler; skipped, saying so, where there is none).
 */
class CublasMappingTest {
    static Cublas cublas;
    static NativeLibrary lib;

    @BeforeAll
    static void openFakeCublas() {
        lib = FakeLibraries.cublas();
        cublas = new Cublas(lib, 0);
    }

    /** Row-major reference of {@link dev.myelin.backend.Blas#gemm} in double. */
    private static void reference(boolean ta, boolean tb, int batch, int m, int n, int k, double alpha, double[] a,
                                  long sa, double[] b, long sb, double beta, double[] c, long sc) {
        for (int e = 0; e < batch; e++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int l = 0; l < k; l++) {
                        double x = a[(int) (e * sa + (ta ? (long) l * m + i : (long) i * k + l))];
                        double y = b[(int) (e * sb + (tb ? (long) j * k + l : (long) l * n + j))];
                        s += x * y;
                    }
                    int at = (int) (e * sc + (long) i * n + j);
                    c[at] = alpha * s + (beta == 0 ? 0 : beta * c[at]);
                }
            }
        }
    }

    private static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble() * 2 - 1;
        return v;
    }

    private static void check(boolean f64, boolean ta, boolean tb, int batch, int m, int n, int k, double alpha,
                              long sa, long sb, double beta, long sc) {
        int aLen = (int) (sa * (batch - 1) + (long) m * k), bLen = (int) (sb * (batch - 1) + (long) k * n);
        int cLen = (int) (sc * (batch - 1) + (long) m * n);
        double[] a = random(aLen, 1), b = random(bLen, 2), c = random(cLen, 3), want = c.clone();
        if (beta == 0) java.util.Arrays.fill(c, Double.NaN); // beta = 0 must ignore C
        reference(ta, tb, batch, m, n, k, alpha, a, sa, b, sb, beta, want, sc);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ma = put(arena, f64, a), mb = put(arena, f64, b), mc = put(arena, f64, c);
            CudaBlas.rowMajor(cublas, f64, ta, tb, batch, m, n, k, alpha, ma.address(), sa, mb.address(), sb, beta,
                    mc.address(), sc);
            for (int i = 0; i < cLen; i++) {
                double got = f64 ? mc.getAtIndex(ValueLayout.JAVA_DOUBLE, i) : mc.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                double tol = f64 ? 1e-12 : 1e-5 * Math.max(1, Math.abs(want[i]));
                assertTrue(Math.abs(got - want[i]) <= tol, String.format("%s ta=%b tb=%b batch=%d m=%d n=%d k=%d: "
                        + "element %d is %s, want %s", f64 ? "f64" : "f32", ta, tb, batch, m, n, k, i, got, want[i]));
            }
        }
    }

    private static MemorySegment put(Arena arena, boolean f64, double[] v) {
        MemorySegment s = arena.allocate(Math.max(1, v.length) * (f64 ? 8L : 4L), 16);
        for (int i = 0; i < v.length; i++) {
            if (f64) s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v[i]);
            else s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) v[i]);
        }
        return s;
    }

    @Test
    void everyTransposeCombinationMatchesTheRowMajorDefinition() {
        for (boolean f64 : new boolean[] {false, true}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    check(f64, ta, tb, 1, 7, 5, 3, 1.0, 0, 0, 0.0, 0);
                    check(f64, ta, tb, 1, 1, 9, 4, -0.5, 0, 0, 2.0, 0); // a row vector
                    check(f64, ta, tb, 1, 6, 1, 11, 1.5, 0, 0, 0.0, 0); // a column vector
                }
            }
        }
    }

    @Test
    void emptyInnerDimensionScalesC() {
        check(false, false, false, 1, 4, 6, 0, 1.0, 0, 0, 0.5, 0);
        check(false, true, true, 1, 4, 6, 0, 1.0, 0, 0, 0.0, 0);
    }

    @Test
    void stridedBatchesSharedOperandsAndGaps() {
        check(false, false, false, 4, 3, 5, 2, 1.0, 6, 10, 0.0, 15);
        check(true, true, false, 3, 3, 5, 2, 1.0, 6, 0, 0.0, 15); // B shared by every entry
        check(false, false, true, 3, 3, 5, 2, 2.0, 9, 11, 0.5, 17); // gaps between entries
    }

    @Test
    void aZeroOutputStrideAccumulatesTheBatchInOrder() {
        check(false, false, false, 4, 3, 2, 5, 1.0, 15, 10, 1.0, 0);
    }

    @Test
    void tf32IsRequestedOnlyForFloat32WhenAllowed() throws Throwable {
        var mathMode = lib.function("fake_math_mode", FunctionDescriptor.of(ValueLayout.JAVA_INT));
        check(false, false, false, 1, 2, 2, 2, 1.0, 0, 0, 0.0, 0);
        assertEquals(Cublas.DEFAULT_MATH, (int) mathMode.invokeExact(), "TF32 must be off by default");
        try {
            CudaSettings.setTf32(true);
            check(false, false, false, 1, 2, 2, 2, 1.0, 0, 0, 0.0, 0);
            assertEquals(Cublas.TF32_TENSOR_OP_MATH, (int) mathMode.invokeExact());
            check(true, false, false, 1, 2, 2, 2, 1.0, 0, 0, 0.0, 0);
            assertEquals(Cublas.DEFAULT_MATH, (int) mathMode.invokeExact(), "float64 never uses TF32");
        } finally {
            CudaSettings.setTf32(false);
        }
    }

    @Test
    void aRefusedCallNamesTheFunctionAndStatus() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(CudaDriverException.class,
                () -> cublas.gemm(false, Cublas.OP_N, Cublas.OP_N, 4, 4, 4, 1, 0, 1, 0, 4, 0, 0, 4));
        assertTrue(e.getMessage().contains("cublasSgemm_v2") && e.getMessage().contains("CUBLAS_STATUS_INVALID_VALUE"),
                e.getMessage());
    }
}

package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Fused;
import dev.myelin.ops.composite.BatchNormComposite;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch norm: the backend's fused kernels against the core's composite (output, gradients, running
 * statistics and their version counters), and the composite's gradients.
 */
class BatchNormCompositeTest extends CompositeTestBase {
    private static final double EPS = 1e-5;
    /** BatchNorm1d on [N, C] (the MLP's) and [N, C, L], BatchNorm2d on odd sizes and a CNN's layer. */
    private static final int[][] SHAPES = {{128, 512}, {7, 5}, {4, 3, 5}, {3, 4, 5, 7}, {2, 16, 7, 7}, {2, 1}};

    @OnEachBackend
    void trainingMatchesFused(BackendUnderTest on) {
        assumeFused(Fused.BATCH_NORM);
        Random r = new Random(8);
        for (DType dtype : DTYPES) {
            for (int[] shape : SHAPES) {
                int c = shape[1];
                // Affine or not, running statistics or not.
                for (int variant = 0; variant < 4; variant++) {
                    boolean affine = (variant & 1) == 0, running = (variant & 2) == 0;
                    In x = In.shifted(r, 0.5, 2, true, shape);
                    In w = affine ? In.shifted(r, 1, 0.5, true, c) : null, b = affine ? In.of(r, true, c) : null;
                    In rm = running ? In.of(r, false, c) : null;
                    In rv = running ? In.shifted(r, 1, 0.1, false, c) : null;
                    String what = "batch_norm train " + dtype + str(shape) + " variant " + variant;
                    Run fused = run(dtype, t -> NormOps.batchNorm(t[0], t[3], t[4], t[1], t[2], true, 0.1, EPS),
                            x, w, b, rm, rv);
                    Run composite = run(dtype, t -> BatchNormComposite.batchNorm(t[0], t[3], t[4], t[1], t[2], true,
                            0.1, EPS), x, w, b, rm, rv);
                    assertSameRun(fused, composite, tol(dtype), gradTol(dtype), what);
                }
            }
        }
    }

    /** PyTorch's momentum=None: a cumulative average, momentum 1 / num_batches_tracked (1, 1/2, 1/3). */
    @OnEachBackend
    void cumulativeAverageMatchesFused(BackendUnderTest on) {
        assumeFused(Fused.BATCH_NORM);
        Random r = new Random(9);
        for (DType dtype : DTYPES) {
            In[] batches = {In.of(r, true, 6, 3, 2), In.shifted(r, 2, 3, true, 6, 3, 2),
                In.shifted(r, -1, 0.5, true, 6, 3, 2)};
            double[][] fused = cumulative(dtype, batches, true), composite = cumulative(dtype, batches, false);
            for (int i = 0; i < 2; i++) {
                assertClose(fused[i], composite[i], tol(dtype), "momentum=None running stat " + i);
            }
        }
    }

    private double[][] cumulative(DType dtype, In[] batches, boolean fused) {
        Tensor rm = Tensor.zeros(dtype, 3), rv = Tensor.ones(dtype, 3);
        rm = Creation.copyTo(rm, backend());
        rv = Creation.copyTo(rv, backend());
        for (int k = 1; k <= batches.length; k++) {
            Tensor x = leaves(dtype, batches[k - 1])[0];
            if (fused) NormOps.batchNorm(x, rm, rv, null, null, true, 1.0 / k, EPS);
            else BatchNormComposite.batchNorm(x, rm, rv, null, null, true, 1.0 / k, EPS);
        }
        return new double[][] {rm.toDoubleArray(), rv.toDoubleArray()};
    }

    @OnEachBackend
    void evalMatchesFused(BackendUnderTest on) {
        assumeFused(Fused.BATCH_NORM);
        Random r = new Random(10);
        for (DType dtype : DTYPES) {
            for (int[] shape : SHAPES) {
                int c = shape[1];
                for (boolean affine : new boolean[] {true, false}) {
                    In x = In.shifted(r, 0.5, 2, true, shape);
                    In w = affine ? In.shifted(r, 1, 0.5, true, c) : null, b = affine ? In.of(r, true, c) : null;
                    In rm = In.of(r, false, c), rv = In.shifted(r, 1, 0.1, false, c);
                    Run fused = run(dtype, t -> NormOps.batchNorm(t[0], t[3], t[4], t[1], t[2], false, 0.1, 1e-3),
                            x, w, b, rm, rv);
                    Run composite = run(dtype, t -> BatchNormComposite.batchNorm(t[0], t[3], t[4], t[1], t[2], false,
                            0.1, 1e-3), x, w, b, rm, rv);
                    assertSameRun(fused, composite, tol(dtype), gradTol(dtype),
                            "batch_norm eval " + dtype + str(shape));
                }
            }
        }
    }

    /** A strided running_mean (every other element of a buffer) is updated in place, once. */
    @OnEachBackend
    void stridedRunningStatisticIsUpdatedInPlace(BackendUnderTest on) {
        Tensor buf = Creation.fromDoubles(backend(), DType.FLOAT64, new double[] {1, -7, 3, -7}, 2, 2);
        Tensor rm = buf.select(1, 0);
        Tensor x = Creation.fromDoubles(backend(), DType.FLOAT64, new double[] {1, 2, 3, 6}, 2, 2);
        int before = rm.version();
        BatchNormComposite.batchNorm(x, rm, null, null, null, true, 0.5, EPS);
        assertEquals(before + 1, rm.version());
        double[] expected = {0.5 * 2 + 0.5 * 1, -7, 0.5 * 4 + 0.5 * 3, -7};
        assertClose(expected, buf.toDoubleArray(), 1e-15, "buffer after the update");
    }

    /** In-place writes to a running statistic that requires grad are refused under grad mode, as when fused. */
    @OnEachBackend
    void runningStatisticThatRequiresGradIsRefused(BackendUnderTest on) {
        Tensor x = leaves(DType.FLOAT64, In.of(new Random(11), true, 4, 2))[0];
        Tensor rm = Tensor.zeros(DType.FLOAT64, 2);
        Tensor rmHere = Creation.copyTo(rm, backend()).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BatchNormComposite.batchNorm(x, rmHere, null, null, null, true, 0.1, EPS));
        assertTrue(e.getMessage().startsWith("batch_norm"), e.getMessage());
        try (var ng = GradMode.noGrad()) {
            BatchNormComposite.batchNorm(x, rmHere, null, null, null, true, 0.1, EPS);
        }
    }

    @OnEachBackend
    void compositeGradcheck(BackendUnderTest on) {
        Random r = new Random(12);
        for (int[] shape : new int[][] {{5, 3}, {3, 2, 2, 3}}) {
            int c = shape[1];
            Tensor[] t = leaves(DType.FLOAT64, In.shifted(r, 0.5, 2, true, shape), In.shifted(r, 1, 0.5, true, c),
                    In.of(r, true, c), In.of(r, false, c), In.shifted(r, 1, 0.1, false, c));
            for (boolean training : new boolean[] {true, false}) {
                GradCheck.check(a -> BatchNormComposite.batchNorm(a[0], training ? null : a[3], training ? null : a[4],
                        a[1], a[2], training, 0.1, EPS), t);
            }
            GradCheck.check(a -> BatchNormComposite.batchNorm(a[0], null, null, null, null, true, 0.1, 1e-3), t[0]);
        }
    }
}

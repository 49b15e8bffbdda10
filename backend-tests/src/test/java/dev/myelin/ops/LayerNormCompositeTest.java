package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.backend.Fused;
import dev.myelin.ops.composite.LayerNormComposite;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.Arrays;
import java.util.Random;

/** Layer norm: the backend's fused kernels against the core's composite, and the composite's gradients. */
class LayerNormCompositeTest extends CompositeTestBase {
    private static final double EPS = 1e-5;
    /** {shape..., number of normalized trailing dims}. */
    private static final int[][] CASES = {{128, 512, 1}, {7, 13, 1}, {2, 3, 5, 2}, {4, 3, 5, 3}, {9, 1, 1}, {3, 37, 1}};

    @OnEachBackend
    void fusedMatchesComposite(BackendUnderTest on) {
        assumeFused(Fused.LAYER_NORM);
        Random r = new Random(6);
        for (DType dtype : DTYPES) {
            for (int[] c : CASES) {
                int[] shape = Arrays.copyOf(c, c.length - 1);
                int[] normalized = Arrays.copyOfRange(shape, shape.length - c[c.length - 1], shape.length);
                // Affine or not (weight and bias each present or absent), with and without grad.
                for (int affine = 0; affine < 4; affine++) {
                    In x = In.shifted(r, 0.5, 2, true, shape);
                    In w = (affine & 1) == 0 ? null : In.shifted(r, 1, 0.5, affine != 3, normalized);
                    In b = (affine & 2) == 0 ? null : In.of(r, true, normalized);
                    Run fused = run(dtype, t -> NormOps.layerNorm(t[0], normalized, t[1], t[2], EPS), x, w, b);
                    Run composite = run(dtype,
                            t -> LayerNormComposite.layerNorm(t[0], normalized, t[1], t[2], EPS), x, w, b);
                    assertSameRun(fused, composite, tol(dtype), gradTol(dtype),
                            "layer_norm " + dtype + str(shape) + " over " + str(normalized) + " affine " + affine);
                }
            }
        }
    }

    /**
     * Rows around 1000 with std 1.5: the composite's float32 mean is rounded once (half an ulp of
     * 1000 is 3e-5, 2e-5 of a std, times the weight), as in PyTorch's decomposition; the kernel keeps
     * it in double. So the composite is 1e-4 close here, not 1e-5.
     */
    @OnEachBackend
    void largeCommonOffsetInFloat32(BackendUnderTest on) {
        assumeFused(Fused.LAYER_NORM);
        Random r = new Random(14);
        In x = In.shifted(r, 1000, 1.5, true, 5, 64), w = In.shifted(r, 1, 0.3, true, 64), b = In.of(r, true, 64);
        int[] d = {64};
        Run fused = run(DType.FLOAT32, t -> NormOps.layerNorm(t[0], d, t[1], t[2], EPS), x, w, b);
        Run composite = run(DType.FLOAT32, t -> LayerNormComposite.layerNorm(t[0], d, t[1], t[2], EPS), x, w, b);
        assertSameRun(fused, composite, 1e-4, 1e-3, "layer_norm at offset 1000");
    }

    @OnEachBackend
    void compositeGradcheck(BackendUnderTest on) {
        Random r = new Random(7);
        Tensor[] t = leaves(DType.FLOAT64, In.shifted(r, 0.3, 1, true, 3, 2, 4), In.shifted(r, 1, 0.5, true, 2, 4),
                In.of(r, true, 2, 4));
        GradCheck.check(a -> LayerNormComposite.layerNorm(a[0], new int[] {2, 4}, a[1], a[2], EPS), t);
        GradCheck.check(a -> LayerNormComposite.layerNorm(a[0], new int[] {4}, null, null, 1e-3), t[0]);
    }
}

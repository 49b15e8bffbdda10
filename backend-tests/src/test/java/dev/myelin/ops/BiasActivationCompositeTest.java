package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.backend.Fused;
import dev.myelin.ops.composite.BiasActivationComposite;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.Random;

/** Bias + activation: the backend's fused kernels against the core's composite, and the composite's gradients. */
class BiasActivationCompositeTest extends CompositeTestBase {
    private static final int[][] SHAPES = {{16, 512}, {7, 13}, {2, 3, 5}, {1, 1}, {0, 4}};

    @OnEachBackend
    void fusedMatchesComposite(BackendUnderTest on) {
        assumeFused(Fused.BIAS_ACTIVATION);
        Random r = new Random(4);
        for (DType dtype : DTYPES) {
            for (Kind kind : Kind.values()) {
                double param = kind == Kind.LEAKY_RELU ? 0.03 : 0;
                for (int[] shape : SHAPES) {
                    for (boolean biasGrad : new boolean[] {true, false}) {
                        In x = In.of(r, true, shape), b = In.of(r, biasGrad, shape[shape.length - 1]);
                        Run fused = run(dtype, t -> ActivationOps.biasActivation(kind, param, t[0], t[1]), x, b);
                        Run composite = run(dtype,
                                t -> BiasActivationComposite.biasActivation(kind, param, t[0], t[1]), x, b);
                        assertSameRun(fused, composite, tol(dtype), gradTol(dtype),
                                "bias_" + kind + " " + dtype + str(shape));
                    }
                }
            }
        }
    }

    @OnEachBackend
    void compositeGradcheck(BackendUnderTest on) {
        Random r = new Random(5);
        for (Kind kind : Kind.values()) {
            double param = kind == Kind.LEAKY_RELU ? 0.2 : 0;
            Tensor[] t = leaves(DType.FLOAT64, In.of(r, true, 4, 3), In.of(r, true, 3));
            GradCheck.check(a -> BiasActivationComposite.biasActivation(kind, param, a[0], a[1]), t);
        }
    }
}

package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.backend.Fused;
import dev.myelin.ops.composite.SoftmaxComposite;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Softmax and log-softmax: the backend's fused kernels against the core's composite, and the composite's gradients. */
class SoftmaxCompositeTest extends CompositeTestBase {
    /** {shape..., dim}: rows, odd sizes, a middle dim (inner > 1), a first dim, a negative dim, one element. */
    private static final int[][] CASES = {{128, 10, 1}, {7, 13, -1}, {7, 13, 0}, {2, 3, 5, 1}, {3, 1, 4, 2}, {1, 0}};

    @OnEachBackend
    void fusedMatchesComposite(BackendUnderTest on) {
        assumeFused(Fused.SOFTMAX);
        Random r = new Random(1);
        for (DType dtype : DTYPES) {
            for (boolean log : new boolean[] {false, true}) {
                for (int[] c : CASES) {
                    int[] shape = java.util.Arrays.copyOf(c, c.length - 1);
                    int dim = c[c.length - 1];
                    In x = In.shifted(r, 0, 3, true, shape);
                    Run fused = run(dtype, t -> log ? t[0].logSoftmax(dim) : t[0].softmax(dim), x);
                    Run composite = run(dtype, t -> SoftmaxComposite.softmax(t[0], dim, log), x);
                    assertSameRun(fused, composite, tol(dtype), gradTol(dtype),
                            (log ? "log_softmax " : "softmax ") + dtype + str(shape) + " dim " + dim);
                }
            }
        }
    }

    /** Logits near 1000 overflow a plain exp; the composite shifts by the max as the kernels do. */
    @OnEachBackend
    void largeLogitsStayFinite(BackendUnderTest on) {
        Random r = new Random(2);
        In x = In.shifted(r, 1000, 5, true, 4, 9);
        for (boolean log : new boolean[] {false, true}) {
            Run composite = run(DType.FLOAT32, t -> SoftmaxComposite.softmax(t[0], 1, log), x);
            String op = log ? "log_softmax" : "softmax";
            for (double v : composite.y()) assertTrue(Double.isFinite(v), "finite " + op);
            for (double v : composite.grads()[0]) assertTrue(Double.isFinite(v), "finite gradient");
            if (backend().fused().contains(Fused.SOFTMAX)) {
                Run fused = run(DType.FLOAT32, t -> log ? t[0].logSoftmax(1) : t[0].softmax(1), x);
                assertSameRun(fused, composite, 1e-5, 1e-4, "large logits");
            }
        }
    }

    @OnEachBackend
    void scalarAndEmptyInputs(BackendUnderTest on) {
        Tensor s = Creation.fromDoubles(backend(), DType.FLOAT64, new double[] {3.5});
        s = s.reshape();
        assertEquals(0, SoftmaxComposite.softmax(s, 0, false).dim());
        assertEquals(1.0, SoftmaxComposite.softmax(s, 0, false).item());
        assertEquals(0.0, SoftmaxComposite.softmax(s, -1, true).item());
        Tensor empty = Tensor.empty(backend(), DType.FLOAT32, 0, 5);
        assertEquals(0, SoftmaxComposite.softmax(empty, 1, true).numel());
    }

    @OnEachBackend
    void compositeGradcheck(BackendUnderTest on) {
        Random r = new Random(3);
        for (boolean log : new boolean[] {false, true}) {
            for (int dim : new int[] {0, 1, 2}) {
                Tensor x = leaves(DType.FLOAT64, In.of(r, true, 3, 4, 5))[0];
                GradCheck.check(t -> SoftmaxComposite.softmax(t[0], dim, log), x);
            }
        }
    }
}

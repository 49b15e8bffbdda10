package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Activations;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Fused;
import dev.myelin.backend.Normalization;
import dev.myelin.cpu.CpuBackend;
import dev.myelin.nn.functional.F;
import dev.myelin.ops.composite.BatchNormComposite;
import dev.myelin.ops.composite.BiasActivationComposite;
import dev.myelin.ops.composite.LayerNormComposite;
import dev.myelin.ops.composite.SoftmaxComposite;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The op entry points run a backend's fused kernels only where it lists the op in fused(): on a CPU
 * backend that lists none, each runs the core's composite (its graph ends in the composite's last op,
 * not in the fused op's node), and a family's unimplemented fused method says what it is. CPU-only:
 * a backend that fuses nothing exists only as {@link CpuBackend#withFused} (a tensor's backend is its
 * storage's, so no wrapper can hide another backend's fused kernels); the composites against each
 * backend's fused kernels are the device-generic *CompositeTest classes in backend-tests.
 */
class FusedDispatchTest {
    private final Backend composites = CpuBackend.withFused(Set.of());

    @Test
    void aBackendThatFusesNothingRunsTheComposites() {
        assertEquals(Set.of(), composites.fused());
        Random r = new Random(13);
        // x [6, 4], weight, bias (these three require grad), running mean and running var, as host values.
        double[][] in = {gaussian(r, 0, 1, 24), gaussian(r, 0, 1, 4), gaussian(r, 0, 1, 4), gaussian(r, 0, 1, 4),
            gaussian(r, 1, 0.1, 4)};
        same("softmax", t -> t[0].softmax(1), t -> SoftmaxComposite.softmax(t[0], 1, false), in);
        same("log_softmax", t -> t[0].logSoftmax(0), t -> SoftmaxComposite.softmax(t[0], 0, true), in);
        same("layer_norm", t -> NormOps.layerNorm(t[0], new int[] {4}, t[1], t[2], 1e-5),
                t -> LayerNormComposite.layerNorm(t[0], new int[] {4}, t[1], t[2], 1e-5), in);
        for (boolean training : new boolean[] {true, false}) {
            same("batch_norm", t -> NormOps.batchNorm(t[0], t[3], t[4], t[1], t[2], training, 0.1, 1e-5),
                    t -> BatchNormComposite.batchNorm(t[0], t[3], t[4], t[1], t[2], training, 0.1, 1e-5), in);
        }
        same("bias_gelu", t -> ActivationOps.biasActivation(Kind.GELU, 0, t[0], t[1]),
                t -> BiasActivationComposite.biasActivation(Kind.GELU, 0, t[0], t[1]), in);
    }

    /**
     * A backend that keeps GELU's derivative gives the bits of the one that recomputes it, float32 and
     * float64 (every piece of erf's fit among the inputs, and an end short of a vector), and its backward
     * does not read x: x written in place after the forward fails the other's backward and not this one's.
     */
    @Test
    void geluWithItsDerivativeKeptMatchesTheRecomputingBackward() {
        Backend keeping = CpuBackend.withFused(Set.of(Fused.ACTIVATION_DERIVATIVE));
        double[] x = gaussian(new Random(5), 0, 2.5, 49), g = gaussian(new Random(6), 0, 1, 49);
        x[0] = 6.5;
        x[1] = -9.8;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor kept = Creation.fromDoubles(keeping, dtype, x, 7, 7).requiresGrad(true);
            Tensor recomputed = Creation.fromDoubles(composites, dtype, x, 7, 7).requiresGrad(true);
            Tensor y = F.gelu(kept), expected = F.gelu(recomputed);
            assertEquals("gelu", y.gradFn().op());
            assertArrayEquals(expected.toDoubleArray(), y.toDoubleArray(), dtype + " gelu");
            try (var noGrad = GradMode.noGrad()) {
                kept.fill(1);
                recomputed.fill(1);
            }
            y.backward(Creation.fromDoubles(keeping, dtype, g, 7, 7));
            assertThrows(IllegalStateException.class,
                    () -> expected.backward(Creation.fromDoubles(composites, dtype, g, 7, 7)));
            Tensor fresh = Creation.fromDoubles(composites, dtype, x, 7, 7).requiresGrad(true);
            F.gelu(fresh).backward(Creation.fromDoubles(composites, dtype, g, 7, 7));
            assertArrayEquals(fresh.grad().toDoubleArray(), kept.grad().toDoubleArray(), dtype + " gelu grad");
        }
    }

    private static double[] gaussian(Random r, double shift, double scale, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = shift + scale * r.nextGaussian();
        return v;
    }

    /**
     * The entry point gives the composite's values, gradients and running statistics, through its
     * graph: each runs on fresh float64 leaves of {@code in} on the backend that fuses nothing.
     */
    private void same(String fusedNode, Function<Tensor[], Tensor> entry, Function<Tensor[], Tensor> composite,
                      double[][] in) {
        Tensor[] viaEntry = leaves(in), direct = leaves(in);
        Tensor y = entry.apply(viaEntry), expected = composite.apply(direct);
        assertNotEquals(fusedNode, y.gradFn().op(), "the entry point ran the fused kernels");
        assertArrayEquals(expected.toDoubleArray(), y.toDoubleArray(), fusedNode);
        double[] g = gaussian(new Random(y.numel()), 0, 1, (int) y.numel());
        y.backward(Creation.fromDoubles(composites, DType.FLOAT64, g, y.shape()));
        expected.backward(Creation.fromDoubles(composites, DType.FLOAT64, g, y.shape()));
        for (int i = 0; i < in.length; i++) {
            // An input the op does not use has no gradient on either path.
            assertArrayEquals(values(direct[i].grad()), values(viaEntry[i].grad()), fusedNode + " grad " + i);
            assertArrayEquals(direct[i].toDoubleArray(), viaEntry[i].toDoubleArray(), fusedNode + " input " + i);
        }
    }

    private static double[] values(Tensor t) {
        return t == null ? null : t.toDoubleArray();
    }

    /** x [6, 4], weight [4], bias [4] requiring grad, running statistics [4] not. */
    private Tensor[] leaves(double[][] in) {
        Tensor[] t = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            int[] shape = i == 0 ? new int[] {6, 4} : new int[] {4};
            t[i] = Creation.fromDoubles(composites, DType.FLOAT64, in[i], shape).requiresGrad(i < 3);
        }
        return t;
    }

    @Test
    void theFusedDefaultsSayWhatIsMissing() {
        Normalization norm = new Normalization() {};
        Tensor t = Tensor.zeros(2, 2);
        var e = assertThrows(UnsupportedOperationException.class, () -> norm.layerNorm(t, null, null, 1e-5, t, t, t));
        assertTrue(e.getMessage().startsWith("layerNorm: ") && e.getMessage().contains("LAYER_NORM"), e.getMessage());
        e = assertThrows(UnsupportedOperationException.class,
                () -> norm.batchNormTrain(t, null, null, null, null, 0.1, 1e-5, t, t, t));
        assertTrue(e.getMessage().startsWith("batchNormTrain: ") && e.getMessage().contains("BATCH_NORM"),
                e.getMessage());
        Activations act = new Activations() {
            @Override public void forward(Kind kind, double param, Tensor x, Tensor y) {}
            @Override public void backward(Kind kind, double param, Tensor x, Tensor y, Tensor gradY, Tensor gradX) {}
        };
        e = assertThrows(UnsupportedOperationException.class, () -> act.softmax(t, 1, true, t));
        assertTrue(e.getMessage().startsWith("logSoftmax: ") && e.getMessage().contains("SOFTMAX"), e.getMessage());
        e = assertThrows(UnsupportedOperationException.class, () -> act.biasForward(Kind.RELU, 0, t, t, t));
        assertTrue(e.getMessage().contains("BIAS_ACTIVATION"), e.getMessage());
    }

    @Test
    void withFusedKeepsOnlyTheKernelsTheCpuHas() {
        Set<Fused> all = new CpuBackend().fused();
        for (Fused op : Fused.values()) {
            assertEquals(all.contains(op) ? Set.of(op) : Set.of(), CpuBackend.withFused(Set.of(op)).fused(), op.name());
        }
        assertEquals(all, CpuBackend.withFused(Set.of(Fused.values())).fused());
    }
}

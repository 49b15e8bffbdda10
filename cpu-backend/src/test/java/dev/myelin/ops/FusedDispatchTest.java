package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Activations;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Fused;
import dev.myelin.backend.Normalization;
import dev.myelin.cpu.CpuBackend;
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
 * not in the fused op's node), and a family's unimplemented fused method says what it is.
 */
class FusedDispatchTest extends CompositeTestBase {
    private final Backend composites = CpuBackend.withFused(Set.of());

    @Override
    protected Backend backend() {
        return composites;
    }

    @Test
    void aBackendThatFusesNothingRunsTheComposites() {
        assertEquals(Set.of(), composites.fused());
        Random r = new Random(13);
        In x = In.of(r, true, 6, 4), w = In.of(r, true, 4), b = In.of(r, true, 4);
        In rm = In.of(r, false, 4), rv = In.shifted(r, 1, 0.1, false, 4);
        same("softmax", t -> t[0].softmax(1), t -> SoftmaxComposite.softmax(t[0], 1, false), x);
        same("log_softmax", t -> t[0].logSoftmax(0), t -> SoftmaxComposite.softmax(t[0], 0, true), x);
        same("layer_norm", t -> NormOps.layerNorm(t[0], new int[] {4}, t[1], t[2], 1e-5),
                t -> LayerNormComposite.layerNorm(t[0], new int[] {4}, t[1], t[2], 1e-5), x, w, b);
        for (boolean training : new boolean[] {true, false}) {
            same("batch_norm", t -> NormOps.batchNorm(t[0], t[3], t[4], t[1], t[2], training, 0.1, 1e-5),
                    t -> BatchNormComposite.batchNorm(t[0], t[3], t[4], t[1], t[2], training, 0.1, 1e-5),
                    x, w, b, rm, rv);
        }
        same("bias_gelu", t -> ActivationOps.biasActivation(Kind.GELU, 0, t[0], t[1]),
                t -> BiasActivationComposite.biasActivation(Kind.GELU, 0, t[0], t[1]), x, w);
    }

    /** The entry point gives the composite's values, gradients and running statistics, through its graph. */
    private void same(String fusedNode, Function<Tensor[], Tensor> entry, Function<Tensor[], Tensor> composite,
                      In... ins) {
        Tensor[] leaves = leaves(DType.FLOAT64, ins);
        Tensor y = entry.apply(leaves);
        assertNotEquals(fusedNode, y.gradFn().op(), "the entry point ran the fused kernels");
        Run viaEntry = run(DType.FLOAT64, entry, ins), direct = run(DType.FLOAT64, composite, ins);
        assertArrayEquals(direct.y(), viaEntry.y(), fusedNode);
        for (int i = 0; i < ins.length; i++) {
            if (direct.grads()[i] != null) {
                assertArrayEquals(direct.grads()[i], viaEntry.grads()[i], fusedNode + " grad " + i);
            }
            if (direct.after()[i] != null) {
                assertArrayEquals(direct.after()[i], viaEntry.after()[i], fusedNode + " input " + i);
            }
        }
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

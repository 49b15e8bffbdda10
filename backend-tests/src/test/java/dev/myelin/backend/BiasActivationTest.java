package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.autograd.Node;
import dev.myelin.backend.Activations.Kind;
import dev.myelin.nn.GELU;
import dev.myelin.nn.LeakyReLU;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.SiLU;
import dev.myelin.nn.Sigmoid;
import dev.myelin.nn.Tanh;
import dev.myelin.ops.ActivationOps;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused bias + activation on each backend: the same numbers as add then activation, its gradients,
 * and its use by Sequential.
 */
class BiasActivationTest {
    private static Tensor uniform(DType dtype, double scale, int... shape) {
        return Tensor.rand(shape).sub(0.5).mul(2 * scale).to(dtype);
    }

    @OnEachBackend
    void fusedGivesTheValuesAndGradientsOfAddThenActivationBitForBit(BackendUnderTest on) {
        Myelin.manualSeed(3);
        // 37 columns: vector body and tail; 300 x 200 rows split over threads; a 3-D input.
        int[][] shapes = {{5, 37}, {300, 200}, {2, 3, 19}, {1, 1}};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : shapes) {
                int c = shape[shape.length - 1];
                Tensor xv = uniform(dtype, 4, shape), bv = uniform(dtype, 2, c), g = uniform(dtype, 1, shape);
                for (Kind kind : Kind.values()) {
                    String what = kind + " " + dtype + " " + java.util.Arrays.toString(shape);
                    Tensor x1 = xv.detach().requiresGrad(true), b1 = bv.detach().requiresGrad(true);
                    Tensor fused = ActivationOps.biasActivation(kind, 0.1, x1, b1);
                    fused.backward(g);
                    Tensor x2 = xv.detach().requiresGrad(true), b2 = bv.detach().requiresGrad(true);
                    Tensor apart = ActivationOps.activation(kind, 0.1, x2.add(b2));
                    apart.backward(g);
                    assertArrayEquals(apart.toDoubleArray(), fused.toDoubleArray(), 0, what + " forward");
                    assertArrayEquals(x2.grad().toDoubleArray(), x1.grad().toDoubleArray(), 0, what + " grad x");
                    assertArrayEquals(b2.grad().toDoubleArray(), b1.grad().toDoubleArray(), 0, what + " grad bias");
                }
            }
        }
    }

    @OnEachBackend
    void gradcheckEveryKind(BackendUnderTest on) {
        // Away from the kinks: |x + bias| >= 0.05.
        double[] x = {-1.7, -0.6, -0.15, 0.2, 0.7, 1.3, 2.1, -2.9, 0.45, -0.35, 1.1, -1.2};
        double[] bias = {0.3, -0.4, 0.1, 0.5};
        for (Kind kind : Kind.values()) {
            Tensor xt = Tensor.of(x.clone(), 3, 4).requiresGrad(true),
                    bt = Tensor.of(bias.clone(), 4).requiresGrad(true);
            GradCheck.check(in -> ActivationOps.biasActivation(kind, 0.2, in[0], in[1]), xt, bt);
            // A transposed input, which the op makes contiguous first.
            Tensor xtT = Tensor.of(x.clone(), 4, 3).requiresGrad(true);
            GradCheck.check(in -> ActivationOps.biasActivation(kind, 0.2, in[0].t(), in[1]), xtT, bt);
        }
    }

    @OnEachBackend
    void badBiasIsRejectedWithTheShapes(BackendUnderTest on) {
        Tensor x = Tensor.zeros(4, 3);
        assertMessage("bias_relu: bias FLOAT32[4] does not match input FLOAT32[4, 3]",
                () -> ActivationOps.biasActivation(Kind.RELU, 0, x, Tensor.zeros(4)));
        assertMessage("bias_tanh: bias FLOAT32[1, 3] does not match input",
                () -> ActivationOps.biasActivation(Kind.TANH, 0, x, Tensor.zeros(1, 3)));
        assertMessage("bias_silu: bias FLOAT64[3] does not match input FLOAT32[4, 3]",
                () -> ActivationOps.biasActivation(Kind.SILU, 0, x, Tensor.zeros(DType.FLOAT64, 3)));
        assertMessage("bias_relu: ",
                () -> ActivationOps.biasActivation(Kind.RELU, 0, Tensor.zeros(DType.INT64, 2), Tensor.zeros(2)));
        // The kernel itself, called directly with tensors that do not fit.
        Tensor y = Tensor.zeros(4, 3);
        assertMessage("bias_gelu: bias [5] does not divide x [4, 3] into rows",
                () -> x.backend().activations().biasForward(Kind.GELU, 0, x, Tensor.zeros(5), y));
        // Each backend's kernel checks word this one their own way; each names the op and the shape at fault.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> x.backend().activations().biasBackward(Kind.GELU, 0, x, Tensor.zeros(3), y, y,
                        Tensor.zeros(4, 2)));
        String prefix = on.isCpu() ? "bias_gelu_backward: gradX FLOAT32[4, 2]" : "bias_gelu_backward: ";
        assertTrue(e.getMessage().startsWith(prefix) && e.getMessage().contains("[4, 2]"), e.getMessage());
    }

    private static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @OnEachBackend
    void sequentialFusesEachLinearWithTheActivationAfterIt(BackendUnderTest on) {
        Module[] layers = {new Linear(7, 9), new ReLU(), new Linear(9, 8), new GELU("tanh"), new Linear(8, 6),
                new LeakyReLU(0.2), new Linear(6, 5), new Sigmoid(), new Linear(5, 4), new Tanh(), new Linear(4, 3),
                new SiLU(), new Linear(3, 2)};
        Myelin.manualSeed(5);
        try (Sequential model = new Sequential(layers)) {
            Tensor x = Tensor.randn(11, 7);
            Tensor fused = model.forward(x);
            Set<String> ops = opsBehind(fused);
            for (String op : new String[] {"bias_relu", "bias_gelu_tanh", "bias_leaky_relu", "bias_sigmoid",
                    "bias_tanh", "bias_silu"}) {
                assertTrue(ops.contains(op), op + " in " + ops);
            }
            assertFalse(ops.contains("relu") || ops.contains("silu"), "no separate activation in " + ops);
            fused.sum().backward();
            double[][] fusedGrads = model.parameters().stream().map(p -> p.grad().toDoubleArray())
                    .toArray(double[][]::new);
            for (Tensor p : model.parameters()) p.setGrad(null);

            Tensor apart = x;
            for (Module layer : layers) apart = layer.forward(apart);
            assertArrayEquals(apart.toDoubleArray(), fused.toDoubleArray(), 0, "forward");
            apart.sum().backward();
            for (int i = 0; i < fusedGrads.length; i++) {
                assertArrayEquals(model.parameters().get(i).grad().toDoubleArray(), fusedGrads[i], 0,
                        "grad of parameter " + i);
            }
        }
    }

    @OnEachBackend
    void unbatchedAndEmptyInputsKeepTheirShapes(BackendUnderTest on) {
        Myelin.manualSeed(7);
        try (Sequential model = new Sequential(new Linear(5, 4), new GELU())) {
            Tensor one = Tensor.randn(5);
            assertArrayEquals(new int[] {4}, model.forward(one).shape());
            assertArrayEquals(model.forward(one.reshape(1, 5)).toDoubleArray(), model.forward(one).toDoubleArray(), 0);
            assertArrayEquals(new int[] {0, 4}, model.forward(Tensor.zeros(0, 5)).shape());
        }
    }

    @OnEachBackend
    void aLinearWithoutBiasFusesTheActivationAlone(BackendUnderTest on) {
        Myelin.manualSeed(6);
        Linear noBias = new Linear(5, 4, false, DType.FLOAT32);
        try (Sequential model = new Sequential(noBias, new ReLU())) {
            Tensor x = Tensor.randn(3, 5);
            assertArrayEquals(x.matmul(noBias.weight.t()).relu().toDoubleArray(), model.forward(x).toDoubleArray(), 0);
        }
    }

    private static Set<String> opsBehind(Tensor t) {
        Set<String> ops = new HashSet<>();
        collect(t.gradFn(), ops, new HashSet<>());
        return ops;
    }

    private static void collect(Node node, Set<String> ops, Set<Node> seen) {
        if (node == null || !seen.add(node)) return;
        ops.add(node.op());
        for (Tensor in : node.inputs()) collect(in.gradFn(), ops, seen);
    }
}

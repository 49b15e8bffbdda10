package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module: names, state dicts, modes, summary, reproducible init, and gradients through a whole model. */
class ModuleTest {
    private static Sequential model() {
        return new Sequential(new Linear(4, 3), new BatchNorm1d(3), new ReLU(), new Sequential(new Conv2d(1, 2, 3)),
                new LayerNorm(3));
    }

    /** Keys from PyTorch 1.13 for the same architecture: list(model.state_dict().keys()). */
    @Test
    void stateDictUsesPytorchNames() {
        try (Sequential m = model()) {
            assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                    "1.num_batches_tracked",
                    "3.0.weight", "3.0.bias", "4.weight", "4.bias"), List.copyOf(m.stateDict().keySet()));
            assertEquals(8, m.parameters().size());
            assertEquals(4 * 3 + 3 + 3 + 3 + 2 * 9 + 2 + 3 + 3, m.numParameters());
            assertTrue(m.parameters().stream().allMatch(Tensor::requiresGrad));
        }
    }

    @Test
    void loadStateDictCopiesIntoTheLiveTensors() {
        Myelin.manualSeed(1);
        try (Sequential a = model(); Sequential b = model()) {
            Tensor liveWeight = b.stateDict().get("0.weight");
            assertNotEquals(a.stateDict().get("0.weight").toDoubleArray()[0], liveWeight.toDoubleArray()[0]);
            b.loadStateDict(a.stateDict());
            for (var e : a.stateDict().entrySet()) {
                assertArrayEquals(e.getValue().toDoubleArray(), b.stateDict().get(e.getKey()).toDoubleArray(), 0,
                        e.getKey());
            }
            assertTrue(liveWeight == b.stateDict().get("0.weight"), "the parameter object is kept");
        }
    }

    @Test
    void aFailedLoadNamesEveryProblemAndChangesNothing() {
        try (Sequential m = model()) {
            double[] before = m.stateDict().get("0.weight").toDoubleArray();
            Map<String, Tensor> bad = new HashMap<>(m.stateDict());
            bad.put("0.weight", Tensor.zeros(3, 5));
            bad.remove("4.bias");
            bad.put("9.weight", Tensor.zeros(1));
            var e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(bad));
            assertTrue(e.getMessage().contains("\"0.weight\": checkpoint shape [3, 5], module shape [3, 4]"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("missing key \"4.bias\""), e.getMessage());
            assertTrue(e.getMessage().contains("unexpected key \"9.weight\""), e.getMessage());
            assertArrayEquals(before, m.stateDict().get("0.weight").toDoubleArray(), 0);
            bad.remove("9.weight");
            bad.put("0.weight", Tensor.zeros(3, 4));
            m.loadStateDict(bad, false);
            assertArrayEquals(new double[12], m.stateDict().get("0.weight").toDoubleArray(), 0);
        }
    }

    @Test
    void trainAndEvalReachEveryDescendant() {
        try (Sequential m = model()) {
            m.eval();
            assertFalse(((Sequential) m.get(3)).get(0).isTraining());
            m.train();
            assertTrue(((Sequential) m.get(3)).get(0).isTraining());
        }
    }

    @Test
    void dropoutIsTheIdentityInEval() {
        Dropout d = new Dropout(0.5);
        Tensor x = Tensor.rand(100);
        d.eval();
        assertArrayEquals(x.toDoubleArray(), d.forward(x).toDoubleArray(), 0);
        d.train();
        assertTrue(java.util.Arrays.stream(d.forward(x).toDoubleArray()).anyMatch(v -> v == 0));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }

    @Test
    void summaryCountsParameters() {
        try (Sequential m = new Sequential(new Flatten(), new Linear(784, 10))) {
            String s = m.summary();
            assertTrue(s.contains("7,850"), s);
            assertTrue(s.contains("Linear(in_features=784, out_features=10, bias=true)"), s);
        }
    }

    @Test
    void aSeedReproducesInitialWeights() {
        Myelin.manualSeed(42);
        double[] first = new Linear(5, 4).weight.toDoubleArray();
        Myelin.manualSeed(42);
        assertArrayEquals(first, new Linear(5, 4).weight.toDoubleArray(), 0);
    }

    @Test
    void gradientsThroughAWholeModelMatchFiniteDifferences() {
        Module m = new Sequential(new Conv2d(1, 2, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, 1, true, DType.FLOAT64),
                new Tanh(), new MaxPool2d(2), new Flatten(), new Linear(8, 3, true, DType.FLOAT64),
                new BatchNorm1d(3, BatchNorm.options().dtype(DType.FLOAT64)));
        Tensor x = Tensor.randn(4, 1, 4, 4).to(DType.FLOAT64).requiresGrad(true);
        List<Tensor> params = m.parameters();
        Tensor[] inputs = new Tensor[params.size() + 1];
        inputs[0] = x;
        for (int i = 0; i < params.size(); i++) inputs[i + 1] = params.get(i);
        GradCheck.check(in -> m.forward(in[0]).square().sum(), inputs);
    }
}

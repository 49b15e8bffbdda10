package dev.myelin.distributed;

import dev.myelin.DType;
import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.nn.BatchNorm;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.SyncBatchNorm;
import dev.myelin.nn.functional.F;
import dev.myelin.optim.SGD;
import dev.myelin.random.Generator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.myelin.distributed.Fixtures.assertClose;
import static dev.myelin.distributed.Fixtures.grads;
import static dev.myelin.distributed.Fixtures.inputs;
import static dev.myelin.distributed.Fixtures.labels;
import static dev.myelin.distributed.Fixtures.snapshot;
import static org.junit.jupiter.api.Assertions.*;

/**
 * SyncBatchNorm: 2 ranks of 32 examples normalize like 1 process of 64 with plain batch norm. The model has
 * no dropout: a dropout mask is drawn from a generator's stream for the whole batch, so 2 ranks drawing 32 rows
 * each cannot reproduce the 64 rows one process draws, and dropout acts on each value alone, apart from the
 * batch statistics this compares.
 */
class SyncBatchNormTest {
    private static final int BATCH = 64, STEPS = 3;

    /**
     * The card's MLP shape, small: Linear, batch norm, ReLU, twice, then the classifier. The layers before a batch
     * norm have no bias: the norm subtracts it again, so its gradient is rounding noise around zero.
     */
    private static Sequential mlpWithBatchNorm() {
        Generator g = new Generator(7);
        return new Sequential(new Linear(Fixtures.IN, 16, false, DType.FLOAT32, g), new BatchNorm1d(16), new ReLU(),
                new Linear(16, 12, false, DType.FLOAT32, g), new BatchNorm1d(12), new ReLU(),
                new Linear(12, Fixtures.CLASSES, true, DType.FLOAT32, g));
    }

    /** What one step shows: the output, the input's gradient, the parameters' gradients, the state after it. */
    private record Step(double[] output, double[] inputGrad, Map<String, double[]> grads,
            Map<String, double[]> state) {}

    private static List<Step> train(Module model, int from, int rows) {
        SGD opt = SGD.with().lr(0.1).momentum(0.9).build(model.parameters());
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            try (var scope = MemoryScope.open()) {
                opt.zeroGrad();
                Tensor x = inputs(s, BATCH).slice(0, from, from + rows).contiguous().requiresGrad(true);
                Tensor out = model.forward(x);
                F.crossEntropy(out, labels(s, BATCH).slice(0, from, from + rows)).backward();
                Step step = new Step(out.toDoubleArray(), x.grad().toDoubleArray(), grads(model), null);
                opt.step();
                steps.add(new Step(step.output, step.inputGrad, step.grads, snapshot(model)));
            }
        }
        return steps;
    }

    @Test
    void twoRanksOfHalfTheBatchNormalizeLikeOneProcessOfTheWholeBatch() {
        Sequential reference = mlpWithBatchNorm();
        List<Step> expected = train(reference, 0, BATCH);
        reference.eval();
        double[] expectedEval = reference.forward(inputs(99, BATCH)).toDoubleArray();

        var world = new ThreadedProcessGroup.World(2);
        List<Object[]> ranks = world.run(g -> {
            Module model = SyncBatchNorm.convert(mlpWithBatchNorm(), g);
            var ddp = new DistributedDataParallel(model, g, DistributedDataParallel.options());
            int half = BATCH / 2;
            List<Step> steps = train(ddp, g.rank() * half, half);
            ddp.eval();
            int before = world.events().size();
            double[] eval = ddp.forward(inputs(99, BATCH).slice(0, g.rank() * half, (g.rank() + 1) * half))
                    .toDoubleArray();
            boolean quietEval = world.events().subList(before, world.events().size()).stream()
                    .noneMatch(e -> e.startsWith("rank " + g.rank()));
            return new Object[] {steps, eval, quietEval};
        });
        for (int s = 0; s < STEPS; s++) {
            Step want = expected.get(s);
            Step r0 = step(ranks.get(0), s), r1 = step(ranks.get(1), s);
            assertClose("step " + s + " output", want.output, concat(r0.output, r1.output), 1e-5);
            // Each rank's backward gives d(L0 + L1)/dx for its rows, twice d(mean over 64)/dx.
            assertClose("step " + s + " input grad", want.inputGrad,
                    scale(concat(r0.inputGrad, r1.inputGrad), 0.5), 1e-5);
            assertClose(prefixed(want.grads), r0.grads, 1e-5);
            assertClose(prefixed(want.grads), r1.grads, 1e-5);
            assertClose(prefixed(want.state), r0.state, 1e-5);
            assertEquals(s + 1.0, r1.state.get("module.1.num_batches_tracked")[0]);
        }
        // Eval mode: the running statistics, no collective.
        assertClose("eval output", expectedEval, concat((double[]) ranks.get(0)[1], (double[]) ranks.get(1)[1]), 1e-5);
        assertEquals(Boolean.TRUE, ranks.get(0)[2]);
        assertEquals(Boolean.TRUE, ranks.get(1)[2]);
    }

    @Test
    void convertSharesTheTensorsAndReplacesInsideNestedSequentials() {
        BatchNorm1d bn = new BatchNorm1d(4, BatchNorm.options().momentum(null));
        bn.forward(inputs(1, 6).slice(1, 0, 4));
        Sequential inner = new Sequential(new Linear(4, 4), bn);
        Sequential root = new Sequential(inner, new BatchNorm2d(3));
        root.eval();
        assertSame(root, SyncBatchNorm.convert(root));
        SyncBatchNorm converted = assertInstanceOf(SyncBatchNorm.class, inner.get(1));
        assertInstanceOf(SyncBatchNorm.class, root.get(1));
        assertSame(bn.weight, converted.weight);
        assertSame(bn.runningMean(), converted.runningMean());
        assertEquals(1, converted.numBatchesTracked());
        assertFalse(converted.isTraining());
        assertEquals(List.copyOf(bn.stateDict().keySet()), List.copyOf(converted.stateDict().keySet()));
        assertSame(converted, root.namedChildren().get("0").namedChildren().get("1"));
        assertTrue(converted.toString().contains("momentum=null"), converted.toString());

        assertInstanceOf(SyncBatchNorm.class, SyncBatchNorm.convert(new BatchNorm1d(3)));
    }

    /** A model that calls its batch norm through a field, which convert cannot redirect. */
    private static final class Held extends Module {
        final BatchNorm1d norm = registerModule("norm", new BatchNorm1d(3));

        @Override
        public Tensor forward(Tensor x) {
            return norm.forward(x);
        }
    }

    @Test
    void convertRefusesABatchNormHeldByAFieldAndNamesIt() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SyncBatchNorm.convert(new Sequential(new Sequential(new Held()))));
        assertTrue(e.getMessage().contains("\"0.0.norm\" is a BatchNorm1d inside a Held"), e.getMessage());
    }

    @Test
    void withoutAGroupOrInEvalModeItIsPlainBatchNorm() {
        if (Distributed.isInitialized()) return; // another test joined a group in this JVM
        SyncBatchNorm sync = new SyncBatchNorm(5);
        BatchNorm1d plain = new BatchNorm1d(5);
        Tensor x = inputs(3, 6).slice(1, 0, 5).contiguous();
        assertArrayEquals(plain.forward(x).toDoubleArray(), sync.forward(x).toDoubleArray(), 1e-6);
        assertArrayEquals(plain.runningVar().toDoubleArray(), sync.runningVar().toDoubleArray(), 1e-7);
        var e = assertThrows(IllegalArgumentException.class, () -> sync.forward(Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("SyncBatchNorm: expected at least 2D input"), e.getMessage());
    }

    private static Step step(Object[] rank, int s) {
        @SuppressWarnings("unchecked")
        List<Step> steps = (List<Step>) rank[0];
        return steps.get(s);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[] scale(double[] a, double f) {
        return java.util.Arrays.stream(a).map(v -> v * f).toArray();
    }

    private static Map<String, double[]> prefixed(Map<String, double[]> m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put("module." + k, v));
        return out;
    }
}

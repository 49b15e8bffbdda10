package dev.myelin.distributed;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.functional.F;
import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.myelin.distributed.Fixtures.assertClose;
import static dev.myelin.distributed.Fixtures.grads;
import static dev.myelin.distributed.Fixtures.inputs;
import static dev.myelin.distributed.Fixtures.labels;
import static dev.myelin.distributed.Fixtures.mlp;
import static dev.myelin.distributed.Fixtures.sameValues;
import static dev.myelin.distributed.Fixtures.snapshot;
import static org.junit.jupiter.api.Assertions.*;

/** DistributedDataParallel on ranks that are threads of this JVM ({@link ThreadedProcessGroup}). */
class DistributedDataParallelTest {
    private static DistributedDataParallel wrap(Module m, ProcessGroup g) {
        return new DistributedDataParallel(m, g, DistributedDataParallel.options());
    }

    private static Tensor loss(Module m, Tensor x, Tensor y) {
        return F.crossEntropy(m.forward(x), y);
    }

    /** 2 ranks with 64 examples each step as 1 process with the 128: the gradients are means, so is their average. */
    @Test
    void twoRanksOfHalfTheBatchTrainLikeOneProcessOfTheWholeBatch() {
        int steps = 20, batch = 128;
        Sequential reference = mlp(1);
        SGD refOpt = SGD.with().lr(0.1).momentum(0.9).build(reference.parameters());
        for (int s = 0; s < steps; s++) {
            try (var scope = MemoryScope.open()) {
                refOpt.zeroGrad();
                loss(reference, inputs(s, batch), labels(s, batch)).backward();
                refOpt.step();
            }
        }
        var world = new ThreadedProcessGroup.World(2);
        List<Map<String, double[]>> ranks = world.run(g -> {
            // Small buckets: several all-reduces per backward.
            var ddp = new DistributedDataParallel(mlp(1), g, DistributedDataParallel.options().bucketCapMb(0.0005));
            assertTrue(ddp.bucketCount() > 1, "buckets: " + ddp.bucketCount());
            SGD opt = SGD.with().lr(0.1).momentum(0.9).build(ddp.parameters());
            int half = batch / 2, from = g.rank() * half;
            for (int s = 0; s < steps; s++) {
                try (var scope = MemoryScope.open()) {
                    opt.zeroGrad();
                    loss(ddp, inputs(s, batch).slice(0, from, from + half),
                            labels(s, batch).slice(0, from, from + half)).backward();
                    opt.step();
                }
            }
            return snapshot(ddp.module());
        });
        assertTrue(sameValues(ranks.get(0), ranks.get(1)), "the replicas drifted apart");
        assertFalse(sameValues(snapshot(mlp(1)), ranks.get(0)), "nothing was trained");
        assertClose(snapshot(reference), ranks.get(0), 1e-5);
    }

    @Test
    void aBucketsAllReduceStartsBeforeTheBackwardReachesTheFirstLayer() {
        var world = new ThreadedProcessGroup.World(2);
        world.run(g -> {
            Sequential model = mlp(2);
            Tensor first = model.parameters().get(0);
            // Registered before the wrapper's hooks, so it runs before the last bucket is launched.
            first.registerPostAccumulateGradHook(t -> world.record("rank " + g.rank() + " first layer's grad"));
            var ddp = new DistributedDataParallel(model, g, DistributedDataParallel.options().bucketCapMb(1e-6));
            assertEquals(6, ddp.bucketCount());
            world.record("rank " + g.rank() + " backward starts");
            loss(ddp, inputs(g.rank(), 16), labels(g.rank(), 16)).backward();
            world.record("rank " + g.rank() + " backward returned");
            return null;
        });
        for (int r = 0; r < 2; r++) {
            String me = "rank " + r + " ";
            List<String> mine = world.events().stream().filter(e -> e.startsWith(me)).toList();
            int start = mine.indexOf(me + "backward starts");
            int firstLayer = mine.indexOf(me + "first layer's grad");
            int end = mine.indexOf(me + "backward returned");
            long reducesBeforeFirstLayer = mine.subList(start, firstLayer).stream()
                    .filter(e -> e.contains("allReduce")).count();
            long reducesInBackward = mine.subList(start, end).stream().filter(e -> e.contains("allReduce")).count();
            assertTrue(reducesBeforeFirstLayer >= 1, "rank " + r + ": " + mine);
            assertTrue(reducesBeforeFirstLayer < 6, "rank " + r + ": " + mine);
            assertEquals(6, reducesInBackward, "one all-reduce per bucket: " + mine);
        }
    }

    @Test
    void noSyncAccumulatesLocallyAndTheNextSyncedBackwardAveragesTheSums() {
        // Expected: the average over the ranks of each rank's two local gradients added.
        Sequential reference = mlp(3);
        for (int r = 0; r < 2; r++) {
            for (int micro = 0; micro < 2; micro++) {
                loss(reference, inputs(10 * r + micro, 8), labels(10 * r + micro, 8)).backward();
            }
        }
        Map<String, double[]> expected = grads(reference);
        expected.replaceAll((k, v) -> java.util.Arrays.stream(v).map(d -> d / 2).toArray());
        var world = new ThreadedProcessGroup.World(2);
        List<Object[]> results = world.run(g -> {
            var ddp = wrap(mlp(3), g);
            int r = g.rank();
            try (var ignored = ddp.noSync()) {
                loss(ddp, inputs(10 * r, 8), labels(10 * r, 8)).backward();
            }
            world.record("rank " + r + " noSync over");
            Map<String, double[]> local = grads(ddp.module());
            loss(ddp, inputs(10 * r + 1, 8), labels(10 * r + 1, 8)).backward();
            return new Object[] {local, grads(ddp.module())};
        });
        @SuppressWarnings("unchecked")
        Map<String, double[]> local0 = (Map<String, double[]>) results.get(0)[0];
        @SuppressWarnings("unchecked")
        Map<String, double[]> local1 = (Map<String, double[]>) results.get(1)[0];
        assertFalse(sameValues(local0, local1), "under noSync the gradients must stay local");
        for (Object[] result : results) {
            @SuppressWarnings("unchecked")
            Map<String, double[]> synced = (Map<String, double[]>) result[1];
            assertClose(expected, synced, 1e-5);
        }
        for (int r = 0; r < 2; r++) {
            String me = "rank " + r + " ";
            List<String> mine = world.events().stream().filter(e -> e.startsWith(me)).toList();
            int over = mine.indexOf(me + "noSync over");
            assertTrue(mine.subList(0, over).stream().noneMatch(e -> e.contains("allReduce")), mine.toString());
            assertTrue(mine.subList(over, mine.size()).stream().anyMatch(e -> e.contains("allReduce")),
                    mine.toString());
        }
    }

    @Test
    void ranksWithDifferentModelsAreToldAtConstructionWhichTensorDiffers() {
        var world = new ThreadedProcessGroup.World(2);
        List<String> messages = world.run(g -> {
            Module m = new Sequential(new Linear(4, 6), new Linear(6, g.rank() == 0 ? 3 : 5));
            return assertThrows(DistributedException.class, () -> wrap(m, g)).getMessage();
        });
        for (String message : messages) {
            assertTrue(message.contains("\"module.1.weight\""), message);
            assertTrue(message.contains("rank 0 [3, 6] float32, rank 1 [5, 6] float32"), message);
        }
        assertTrue(messages.get(1).startsWith("DistributedDataParallel (rank 1 of 2)"), messages.get(1));

        List<String> counts = new ThreadedProcessGroup.World(2).run(g -> {
            Sequential m = new Sequential(new Linear(4, 6));
            if (g.rank() == 1) m.add(new Linear(6, 2));
            return assertThrows(DistributedException.class, () -> wrap(m, g)).getMessage();
        });
        assertTrue(counts.get(0).contains("rank 0: 2, rank 1: 4"), counts.get(0));
    }

    @Test
    void constructionCopiesRankZerosParametersAndBuffersToTheOthers() {
        var world = new ThreadedProcessGroup.World(2);
        List<Object[]> results = world.run(g -> {
            Sequential m = new Sequential(mlp(100 + g.rank()), new BatchNorm1d(Fixtures.CLASSES));
            // Rank 0's batch norm has seen three batches, rank 1's none.
            if (g.rank() == 0) for (int i = 0; i < 3; i++) m.forward(inputs(i, 8));
            Map<String, double[]> before = snapshot(m);
            var ddp = wrap(m, g);
            return new Object[] {before, snapshot(m), ((BatchNorm1d) m.get(1)).numBatchesTracked(), ddp};
        });
        assertFalse(sameValues(cast(results.get(0)[0]), cast(results.get(1)[0])));
        assertTrue(sameValues(cast(results.get(0)[0]), cast(results.get(0)[1])), "rank 0 keeps its state");
        assertTrue(sameValues(cast(results.get(0)[0]), cast(results.get(1)[1])), "rank 1 takes rank 0's");
        assertEquals(3L, results.get(1)[2]);
        var ddp = (DistributedDataParallel) results.get(1)[3];
        assertTrue(ddp.stateDict().containsKey("module.0.0.weight"), ddp.stateDict().keySet().toString());
        assertSame(ddp.module().parameters().get(0), ddp.parameters().get(0));
    }

    @Test
    void localSgdAveragesTheParametersEveryKStepsAndOnlyThen() {
        int k = 3, steps = 7;
        var world = new ThreadedProcessGroup.World(2);
        List<List<Map<String, double[]>>> results = world.run(g -> {
            var ddp = new DistributedDataParallel(mlp(4), g, DistributedDataParallel.options()
                    .averageParametersEvery(k));
            SGD opt = SGD.with().lr(0.2).build(ddp.parameters());
            List<Map<String, double[]>> history = new ArrayList<>();
            for (int s = 1; s <= steps; s++) {
                opt.zeroGrad();
                loss(ddp, inputs(100 * g.rank() + s, 16), labels(100 * g.rank() + s, 16)).backward();
                opt.step();
                history.add(snapshot(ddp.module()));
                assertEquals(s % k == 0, ddp.afterStep());
                history.add(snapshot(ddp.module()));
            }
            return history;
        });
        for (int s = 1; s <= steps; s++) {
            var stepped0 = results.get(0).get(2 * s - 2);
            var stepped1 = results.get(1).get(2 * s - 2);
            var after0 = results.get(0).get(2 * s - 1);
            var after1 = results.get(1).get(2 * s - 1);
            assertFalse(sameValues(stepped0, stepped1), "step " + s + ": each rank steps on its own gradients");
            if (s % k == 0) {
                assertTrue(sameValues(after0, after1), "step " + s + ": averaged");
                Map<String, double[]> mean = new java.util.LinkedHashMap<>();
                stepped0.forEach((name, v) -> {
                    double[] m = v.clone();
                    for (int i = 0; i < m.length; i++) m[i] = (float) ((v[i] + stepped1.get(name)[i]) / 2);
                    mean.put(name, m);
                });
                assertTrue(sameValues(mean, after0), "step " + s + ": the average of the ranks' parameters");
            } else {
                assertTrue(sameValues(stepped0, after0), "step " + s + ": left alone");
                assertFalse(sameValues(after0, after1), "step " + s + ": not averaged");
            }
        }
        // Two averagings of one bucket on each rank, and no gradient all-reduce.
        assertEquals(4, world.events().stream().filter(e -> e.contains("allReduce")).count(),
                world.events().toString());
    }

    /** A model whose second head only rank 1 uses. */
    private static final class TwoHeads extends Module {
        final Linear body = registerModule("body", new Linear(Fixtures.IN, Fixtures.CLASSES));
        final Linear spare = registerModule("spare", new Linear(Fixtures.IN, Fixtures.CLASSES));
        final int rank;

        TwoHeads(int rank) {
            this.rank = rank;
        }

        @Override
        public Tensor forward(Tensor x) {
            return rank == 1 ? body.forward(x).add(spare.forward(x)) : body.forward(x);
        }
    }

    @Test
    void unusedParametersAreAnErrorUnlessFindUnusedParametersIsOn() {
        var world = new ThreadedProcessGroup.World(2);
        List<String> errors = world.run(g -> {
            var ddp = wrap(new TwoHeads(0), g); // the spare head unused everywhere
            var e = assertThrows(DistributedException.class, () -> ddp.forward(inputs(g.rank(), 4)).sum().backward());
            return e.getMessage();
        });
        assertTrue(errors.get(0).contains("[module.spare.weight, module.spare.bias]"), errors.get(0));
        assertTrue(errors.get(0).contains("findUnusedParameters(true)"), errors.get(0));

        // Rank 1's spare-head gradient, halved: rank 0 adds zeros to the average.
        TwoHeads solo = new TwoHeads(1);
        solo.forward(inputs(1, 4)).sum().backward();
        double[] expected = java.util.Arrays.stream(solo.spare.weight.grad().toDoubleArray()).map(d -> d / 2)
                .toArray();
        List<double[]> spare = new ThreadedProcessGroup.World(2).run(g -> {
            TwoHeads m = new TwoHeads(g.rank());
            try (var ng = GradMode.noGrad()) {
                m.loadStateDict(solo.stateDict());
            }
            var ddp = new DistributedDataParallel(m, g, DistributedDataParallel.options().findUnusedParameters(true));
            ddp.forward(inputs(g.rank(), 4)).sum().backward();
            return m.spare.weight.grad().toDoubleArray();
        });
        assertArrayEquals(expected, spare.get(0), 1e-6);
        assertArrayEquals(expected, spare.get(1), 1e-6);
    }

    @Test
    void aWorldOfOneChangesNothing() {
        Sequential m = mlp(5);
        Sequential twin = mlp(5);
        var ddp = new DistributedDataParallel(m, new LocalProcessGroup(), DistributedDataParallel.options());
        assertEquals(0, ddp.bucketCount());
        loss(ddp, inputs(1, 8), labels(1, 8)).backward();
        loss(twin, inputs(1, 8), labels(1, 8)).backward();
        assertTrue(sameValues(grads(twin), grads(m)));
        assertFalse(ddp.afterStep());
    }

    @Test
    void optionsAreCheckedAndHavePytorchsDefaults() {
        var o = DistributedDataParallel.options();
        assertEquals(25, o.bucketCapMb());
        assertTrue(o.broadcastBuffers());
        assertEquals(0, o.averageParametersEvery());
        assertFalse(o.findUnusedParameters());
        var e = assertThrows(IllegalArgumentException.class, () -> o.bucketCapMb(0));
        assertTrue(e.getMessage().contains("bucketCapMb"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> o.averageParametersEvery(-1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, double[]> cast(Object o) {
        return (Map<String, double[]>) o;
    }
}

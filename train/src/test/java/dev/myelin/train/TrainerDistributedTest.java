package dev.myelin.train;

import dev.myelin.Myelin;
import dev.myelin.data.DataLoader;
import dev.myelin.data.DistributedSampler;
import dev.myelin.data.TensorDataset;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.myelin.train.Fixtures.blobs;
import static dev.myelin.train.Fixtures.loader;
import static dev.myelin.train.Fixtures.model;
import static dev.myelin.train.Fixtures.sgd;
import static dev.myelin.train.Fixtures.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer as one rank of a data-parallel job, with a {@link FakeGroup} standing in for the other ranks: who
 * prints and writes, metrics combined over the ranks, decisions taken on them, resume at another world size.
 */
class TrainerDistributedTest {
    /** What the pretend other rank adds to each epoch's sums: loss sum, samples, correct, classification. */
    private static final double[] OTHER = {30.0, 40, 10, 1};

    @TempDir
    Path dir;

    private final TensorDataset train = blobs(96, 1), val = blobs(45, 2);
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    private Trainer.Builder builder(Module m, int epochs) {
        return Trainer.builder(m, sgd(m), Criterion.of(new CrossEntropyLoss())).epochs(epochs).progressBar(false)
                .log(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static DataLoader shard(TensorDataset data, int replicas, int rank) {
        return new DataLoader(data, 16, DataLoader.options().sampler(new DistributedSampler(data, replicas, rank)));
    }

    @Test
    void rankZeroWritesAndReportsTheMetricsOfAllRanks() throws IOException {
        Myelin.manualSeed(3);
        Module alone = model();
        History local = builder(alone, 2).log(null).build().fit(loader(train, true), loader(val, false));

        Myelin.manualSeed(3);
        Module m = model();
        FakeGroup group = new FakeGroup(0, 2, OTHER, 1e6);
        History h = builder(m, 2).processGroup(group).outputDir(dir, "rank0").build()
                .fit(loader(train, true), loader(val, false));

        assertArrayEquals(values(alone), values(m), "the group changes what is reported, not what is trained");
        for (int e = 0; e < 2; e++) {
            EpochMetrics mine = local.epochs().get(e), all = h.epochs().get(e);
            assertEquals((mine.trainLoss() * 96 + OTHER[0]) / (96 + OTHER[1]), all.trainLoss(), 1e-12);
            assertEquals((mine.trainAccuracy() * 96 + OTHER[2]) / (96 + OTHER[1]), all.trainAccuracy(), 1e-12);
            assertEquals((mine.valLoss() * 45 + OTHER[0]) / (45 + OTHER[1]), all.valLoss(), 1e-12);
            assertEquals((mine.valAccuracy() * 45 + OTHER[2]) / (45 + OTHER[1]), all.valAccuracy(), 1e-12);
            assertEquals(1e6, all.seconds(), "the epoch lasts as long as its slowest rank");
            assertEquals((96 + OTHER[1]) / 1e6, all.samplesPerSecond(), 1e-15);
        }
        assertEquals(2, group.barriers, "one barrier after each epoch's checkpoint");
        assertTrue(Files.size(dir.resolve("rank0.safetensors")) > 0);
        assertEquals(3, Files.readAllLines(dir.resolve("rank0.csv")).size());
        assertTrue(Files.exists(dir.resolve("rank0.png")));
        assertEquals(2, printed().lines().filter(l -> l.startsWith("epoch ")).count(), printed());
    }

    @Test
    void otherRanksPrintAndWriteNothingButTakePartInEveryCollective() {
        Myelin.manualSeed(3);
        Module m = model();
        FakeGroup group = new FakeGroup(1, 2, OTHER, 0);
        Path out = dir.resolve("rank1");
        History h = builder(m, 2).processGroup(group).outputDir(out, "rank1").build()
                .fit(shard(train, 2, 1), shard(val, 2, 1));
        assertEquals(2, h.size());
        assertEquals("", printed(), "no epoch lines");
        assertFalse(Files.exists(out), "no curves, no checkpoint");
        assertEquals(2, group.barriers, "it waits for rank 0's checkpoint each epoch");
        assertEquals(4, group.sums.size(), "training and validation sums, each epoch");
        assertArrayEquals(new double[] {48, 1}, new double[] {group.sums.get(0)[1], group.sums.get(0)[3]},
                "this rank's share of the 96 training samples, as class scores");
        assertEquals(23, group.sums.get(1)[1], "ceil(45 / 2) validation samples: the padded shard");
        assertEquals((group.sums.get(0)[0] + OTHER[0]) / (48 + OTHER[1]), h.epochs().getFirst().trainLoss(), 1e-12);
    }

    @Test
    void earlyStoppingDecidesOnTheCombinedValidationLoss() {
        // lr 0: alone, the validation loss never changes and patience 1 stops after epoch 3. The pretend other rank's
        // validation loss falls every epoch, so the combined loss improves and all 5 epochs run.
        for (boolean withOthers : new boolean[] {false, true}) {
            Myelin.manualSeed(4);
            Module m = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 3));
            Trainer.Builder b = Trainer.builder(m, SGD.with().lr(0).build(m.parameters()),
                    Criterion.of(new CrossEntropyLoss())).epochs(5).progressBar(false).log(null)
                    .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VAL_LOSS, 1, 0.0));
            if (withOthers) b.processGroup(new FakeGroup(0, 2, k -> new double[] {100.0 / (k + 1), 40, 0, 1}, 0));
            History h = b.build().fit(loader(train, false), loader(val, false));
            assertEquals(withOthers ? 5 : 3, h.size(), h.toCsv());
        }
    }

    @Test
    void resumesAtAnotherWorldSize() throws IOException {
        Myelin.manualSeed(7);
        Module first = model();
        builder(first, 2).processGroup(new FakeGroup(0, 2, OTHER, 0)).outputDir(dir, "two").build()
                .fit(shard(train, 2, 0), shard(val, 2, 0));
        Path checkpoint = dir.resolve("two.safetensors");
        byte[] written = Files.readAllBytes(checkpoint);
        printed.reset();

        // Rank 2 of 3 picks the run up: the model, and the history with the two-rank metrics, come back.
        Myelin.manualSeed(100);
        Module three = model();
        FakeGroup group = new FakeGroup(2, 3, OTHER, 0);
        Trainer rank2 = builder(three, 3).processGroup(group).outputDir(dir, "two").build();
        rank2.resume(checkpoint);
        assertArrayEquals(values(first), values(three));
        assertEquals(2, rank2.history().size());
        DataLoader shard = shard(train, 3, 2);
        History h = rank2.fit(shard, shard(val, 3, 2));
        assertEquals(3, h.size());
        assertEquals(2, ((DistributedSampler) shard.sampler()).epoch(), "epoch 3 shards the order of epoch index 2");
        assertArrayEquals(written, Files.readAllBytes(checkpoint), "only rank 0 writes");
        assertEquals("", printed(), "only rank 0 says where it resumed");

        // A single process resumed from the same file and fed the same shard trains to the same parameters.
        Myelin.manualSeed(200);
        Module alone = model();
        Trainer single = builder(alone, 3).log(null).build();
        single.resume(checkpoint);
        single.fit(shard(train, 3, 2), shard(val, 3, 2));
        assertArrayEquals(values(three), values(alone));
    }

    @Test
    void aSamplerForAnotherRankIsRefused() {
        Module m = model();
        Trainer t = builder(m, 1).processGroup(new FakeGroup(1, 2, OTHER, 0)).build();
        var e = assertThrows(IllegalArgumentException.class, () -> t.fit(shard(train, 2, 0), null));
        assertEquals("trainer.fit: the training DataLoader's DistributedSampler is for rank 0 of 2, but this process "
                + "is rank 1 of 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(shard(train, 2, 1), shard(val, 3, 1)));
        assertTrue(e.getMessage().startsWith("trainer.fit: the validation DataLoader's"), e.getMessage());
    }

    @Test
    void aWorldOfOneTrainsAsASingleProcess() throws IOException {
        Module m = model();
        FakeGroup one = new FakeGroup(0, 1, OTHER, 1e6);
        History h = builder(m, 1).processGroup(one).outputDir(dir, "one").build()
                .fit(loader(train, false), loader(val, false));
        assertEquals(0, one.collectives(), "no collective in a world of one");
        assertTrue(h.last().seconds() < 1e6);
        assertTrue(Files.exists(dir.resolve("one.safetensors")));
        assertTrue(printed().startsWith("epoch 1/1"), printed());
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m, sgd(m),
                Criterion.of(new CrossEntropyLoss())).processGroup(null));
        assertTrue(e.getMessage().contains("processGroup is null"), e.getMessage());
    }
}

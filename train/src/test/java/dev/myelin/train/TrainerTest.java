package dev.myelin.train;

import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.data.TensorDataset;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.SGD;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.optim.lr.LinearLR;
import dev.myelin.optim.lr.LRScheduler;
import dev.myelin.optim.lr.SequentialLR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.myelin.train.Fixtures.blobs;
import static dev.myelin.train.Fixtures.loader;
import static dev.myelin.train.Fixtures.model;
import static dev.myelin.train.Fixtures.sgd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fit loop on a small synthetic problem: learning, outputs, exact resume, early stopping, non-finite losses. */
class TrainerTest {
    @TempDir
    Path dir;

    private Trainer trainer(Module m, Optimizer opt, int epochs, String name) {
        return Trainer.builder(m, opt, Criterion.of(new CrossEntropyLoss())).epochs(epochs).progressBar(false).log(null)
                .outputDir(dir, name).build();
    }

    /** Warmup then cosine per epoch: its state must travel in checkpoints too. */
    private Trainer scheduled(Module m, Optimizer opt, int epochs, String name) {
        LRScheduler s = new SequentialLR(opt, List.of(new LinearLR(opt, 0.2, 1, 1), new CosineAnnealingLR(opt, 3, 0)),
                new int[] {1});
        return Trainer.builder(m, opt, Criterion.of(new CrossEntropyLoss())).epochs(epochs)
                .schedule(Schedules.perEpoch(s))
                .progressBar(false).log(null).outputDir(dir, name).build();
    }

    @Test
    void learnsAndWritesCurvesAndCheckpoint() throws IOException {
        Myelin.manualSeed(3);
        Module m = model();
        History h = trainer(m, sgd(m), 4, "blobs").fit(loader(blobs(480, 1), true), loader(blobs(240, 2), false));
        assertEquals(4, h.size());
        assertTrue(h.last().trainLoss() < h.epochs().getFirst().trainLoss(), h.toCsv());
        assertTrue(h.last().valAccuracy() > 0.9, h.toCsv());
        assertEquals(480 * 4, h.epochs().stream().mapToDouble(e -> e.samplesPerSecond() * e.seconds()).sum(), 1e-6);
        List<String> csv = Files.readAllLines(dir.resolve("blobs.csv"));
        assertEquals(5, csv.size());
        assertEquals(EpochMetrics.CSV_HEADER, csv.getFirst());
        byte[] png = Files.readAllBytes(dir.resolve("blobs.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertTrue(Files.size(dir.resolve("blobs.safetensors")) > 0);
    }

    @Test
    void resumingContinuesTheSameLossTrajectory() throws IOException {
        TensorDataset train = blobs(300, 5), val = blobs(90, 6);
        Myelin.manualSeed(9);
        Module straight = model();
        History full = scheduled(straight, sgd(straight), 3, "straight").fit(loader(train, true), loader(val, false));

        Myelin.manualSeed(9);
        Module first = model();
        scheduled(first, sgd(first), 2, "interrupted").fit(loader(train, true), loader(val, false));

        Myelin.manualSeed(12345);
        Module fresh = model();
        Trainer resumed = scheduled(fresh, sgd(fresh), 3, "resumed");
        resumed.resume(dir.resolve("interrupted.safetensors"));
        assertEquals(2, resumed.history().size());
        History continued = resumed.fit(loader(train, true), loader(val, false));
        assertEquals(3, continued.size());
        assertEquals(full.last().trainLoss(), continued.last().trainLoss(), 0);
        assertEquals(full.last().valLoss(), continued.last().valLoss(), 0);
        assertEquals(full.epochs().get(1).trainLoss(), continued.epochs().get(1).trainLoss(), 0);
        assertEquals(full.last().lr(), continued.last().lr(), 0);
        assertTrue(full.last().lr() < full.epochs().get(1).lr(), "the schedule moved the lr");
    }

    @Test
    void earlyStoppingEndsAPlateau() {
        // lr 0 and no batch norm: validation accuracy never changes, so patience 1 stops after epoch 3.
        Myelin.manualSeed(4);
        Module m = new Sequential(new Linear(8, 16), new ReLU(), new Linear(16, 3));
        Optimizer frozen = SGD.with().lr(0).build(m.parameters());
        Trainer t = Trainer.builder(m, frozen, Criterion.of(new CrossEntropyLoss())).epochs(10).progressBar(false)
                .log(null)
                .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VAL_ACCURACY, 1, 0.0)).build();
        History h = t.fit(loader(blobs(96, 1), false), loader(blobs(48, 2), false));
        assertEquals(3, h.size(), h.toCsv());
    }

    @Test
    void aNonFiniteLossStopsBeforeTheStep() {
        Module m = model();
        double[] before = m.parameters().getFirst().toDoubleArray();
        Trainer t = Trainer.builder(m, sgd(m), Criterion.of((out, y) -> out.sum().mul(Double.NaN))).progressBar(false)
                .log(null).build();
        var e = assertThrows(IllegalStateException.class, () -> t.fit(loader(blobs(64, 1), false), null));
        assertTrue(e.getMessage().contains("loss became NaN at epoch 1, batch 0"), e.getMessage());
        assertArrayEquals(before, m.parameters().getFirst().toDoubleArray(), 0);
    }

    @Test
    void resumeRejectsAFileThatIsNotATrainingCheckpoint() throws IOException {
        Path plain = dir.resolve("weights.safetensors");
        dev.myelin.io.Checkpoint.save(plain, java.util.Map.of("w", Tensor.zeros(2)), java.util.Map.of());
        Module m = model();
        var e = assertThrows(IllegalArgumentException.class, () -> trainer(m, sgd(m), 1, "x").resume(plain));
        assertTrue(e.getMessage().contains("not a Myelin training checkpoint"), e.getMessage());
    }
}

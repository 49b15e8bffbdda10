package dev.myelin.train;

import dev.myelin.Myelin;
import dev.myelin.data.TensorDataset;
import dev.myelin.nn.Module;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Adam;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.random.Generator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static dev.myelin.train.Fixtures.blobs;
import static dev.myelin.train.Fixtures.loader;
import static dev.myelin.train.Fixtures.model;
import static dev.myelin.train.Fixtures.sgd;
import static dev.myelin.train.Fixtures.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resume is all or nothing: every mismatch is found before the model, optimizer, schedule or generator change. */
class TrainerResumeTest {
    @TempDir
    static Path dir;

    private static final TensorDataset train = blobs(64, 5), val = blobs(30, 6);
    private static Path plain, scheduled, stopping;

    private static Trainer.Builder builder(Module m, Optimizer opt, int epochs) {
        return Trainer.builder(m, opt, Criterion.of(new CrossEntropyLoss())).epochs(epochs).progressBar(false)
                .log(null);
    }

    private static Schedule cosine(Optimizer opt) {
        return Schedules.perEpoch(new CosineAnnealingLR(opt, 4, 0));
    }

    private static EarlyStopping early(EarlyStopping.Monitor monitor) {
        return new EarlyStopping(monitor, 3, 0);
    }

    /**
     * Three two-epoch SGD checkpoints: without extras, with a cosine schedule, with early stopping on the validation
     * loss.
     */
    @BeforeAll
    static void checkpoints() throws IOException {
        Myelin.manualSeed(1);
        Module m = model();
        Optimizer opt = sgd(m);
        Trainer t = builder(m, opt, 2).build();
        t.fit(loader(train, true), loader(val, false));
        plain = dir.resolve("plain.safetensors");
        t.saveCheckpoint(plain);
        Module m2 = model();
        Optimizer opt2 = sgd(m2);
        Trainer t2 = builder(m2, opt2, 2).schedule(cosine(opt2)).build();
        t2.fit(loader(train, true), loader(val, false));
        scheduled = dir.resolve("scheduled.safetensors");
        t2.saveCheckpoint(scheduled);
        Module m3 = model();
        Trainer t3 = builder(m3, sgd(m3), 2).earlyStopping(early(EarlyStopping.Monitor.VAL_LOSS)).build();
        t3.fit(loader(train, true), loader(val, false));
        stopping = dir.resolve("stopping.safetensors");
        t3.saveCheckpoint(stopping);
    }

    /**
     * Resuming {@code file} into a fresh SGD trainer (changed by {@code config}) fails naming {@code expected} and
     * changes nothing.
     */
    private void rejected(Path file, int epochs, UnaryOperator<Trainer.Builder> config, String expected) {
        Myelin.manualSeed(77);
        Module m = model();
        Optimizer opt = sgd(m);
        rejected(file, m, opt, config.apply(builder(m, opt, epochs)).build(), expected);
    }

    private void rejected(Path file, Module m, Optimizer opt, Trainer t, String expected) {
        double[][] before = values(m);
        double lr = opt.paramGroups().getFirst().lr();
        Generator g = Generator.defaultGenerator();
        long seed = g.seed(), offset = g.offset();
        var e = assertThrows(IllegalArgumentException.class, () -> t.resume(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertArrayEquals(before, values(m), "the model changed");
        assertEquals(lr, opt.paramGroups().getFirst().lr(), "the optimizer's lr changed");
        assertTrue(opt.stateDict().tensors().isEmpty(), "the optimizer's state changed");
        assertEquals(0, t.history().size());
        assertEquals(seed, g.seed());
        assertEquals(offset, g.offset());
    }

    @Test
    void anotherOptimizerTypeIsRejectedBeforeTheModelIsOverwritten() {
        Myelin.manualSeed(77);
        Module m = model();
        Optimizer adam = Adam.with().lr(1e-3).build(m.parameters());
        rejected(plain, m, adam, builder(m, adam, 3).build(), "SGD");
    }

    @Test
    void aSavedScheduleNeedsAScheduleAndASchedulerNeedsASavedOne() {
        rejected(scheduled, 3, b -> b, "schedule");
        Myelin.manualSeed(77);
        Module m = model();
        Optimizer opt = sgd(m);
        rejected(plain, m, opt, builder(m, opt, 3).schedule(cosine(opt)).build(), "schedule");
    }

    @Test
    void earlyStoppingStateMustMatchBothWays() {
        rejected(stopping, 3, b -> b, "early stopping");
        rejected(plain, 3, b -> b.earlyStopping(early(EarlyStopping.Monitor.VAL_LOSS)), "early stopping");
        rejected(stopping, 3, b -> b.earlyStopping(early(EarlyStopping.Monitor.VAL_ACCURACY)), "VAL_LOSS");
    }

    @Test
    void aCheckpointPastTheConfiguredEpochsIsRejected() {
        rejected(plain, 1, b -> b, "2 epochs");
    }

    @Test
    void aFinishedRunSaysSoAndFitDoesNotTrain() throws IOException {
        Myelin.manualSeed(77);
        Module m = model();
        var printed = new ByteArrayOutputStream();
        Trainer t = builder(m, sgd(m), 2).log(new PrintStream(printed, true)).build();
        t.resume(plain);
        assertTrue(t.isFinished());
        double[][] resumed = values(m);
        History h = t.fit(loader(train, true), loader(val, false));
        assertSame(t.history(), h);
        assertEquals(2, h.size());
        assertArrayEquals(resumed, values(m), "fit trained a finished run");
        assertTrue(printed.toString().contains("finished"), printed.toString());
        assertTrue(printed.toString().contains("nothing to train"), printed.toString());
    }

    @Test
    void anUnfinishedRunSaysWhereItContinues() throws IOException {
        Myelin.manualSeed(77);
        Module m = model();
        var printed = new ByteArrayOutputStream();
        Trainer t = builder(m, sgd(m), 3).log(new PrintStream(printed, true)).build();
        t.resume(plain);
        assertTrue(!t.isFinished());
        assertTrue(printed.toString().contains("epoch 2 of 3"), printed.toString());
        assertEquals(3, t.fit(loader(train, true), loader(val, false)).size());
    }
}

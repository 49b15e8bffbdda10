package dev.myelin.train;

import dev.myelin.Myelin;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Subset;
import dev.myelin.data.TensorDataset;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.SGD;
import dev.myelin.optim.lr.ReduceLROnPlateau;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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
 * What the fit loop refuses, and that its messages say what is true: non-finite values, empty data, missing validation.
 */
class TrainerGuardsTest {
    @TempDir
    Path dir;

    private static Trainer.Builder quiet(Module m, Criterion c) {
        return Trainer.builder(m, sgd(m), c).progressBar(false).log(null);
    }

    @Test
    void aNonFiniteGradientWithAFiniteLossStopsBeforeTheStepAndNamesTheParameter() {
        Myelin.manualSeed(1);
        Module m = model();
        double[][] before = values(m);
        // sqrt(0 * out) is 0, a finite loss, but its gradient at 0 is infinite: every gradient becomes NaN.
        Trainer t = quiet(m, (out, b) -> out.mul(0).sqrt().sum()).build();
        var e = assertThrows(IllegalStateException.class, () -> t.fit(loader(blobs(64, 1), false), null));
        assertTrue(e.getMessage().contains("epoch 1, batch 0"), e.getMessage());
        assertTrue(e.getMessage().contains("gradient of \"0.weight\""), e.getMessage());
        assertTrue(e.getMessage().contains("loss 0"), e.getMessage());
        assertTrue(e.getMessage().contains("before the optimizer step"), e.getMessage());
        // Batch norm's running statistics moved in the forward pass; the parameters did not.
        var params = m.namedParameters();
        double[][] after = values(m);
        int i = 0;
        for (String name : m.stateDict().keySet()) {
            if (params.containsKey(name)) assertArrayEquals(before[i], after[i], 0, name);
            i++;
        }
    }

    /** Loss = sum of the outputs: its gradients are finite, and lr 1e38 times them overflows float32. */
    private static Trainer overflowing(Module m, int epochs) {
        return Trainer.builder(m, SGD.with().lr(1e38).build(m.parameters()), (out, b) -> out.sum()).epochs(epochs)
                .progressBar(false).log(null).build();
    }

    @Test
    void aStepThatMakesParametersNonFiniteIsReportedAsSuch() {
        Myelin.manualSeed(2);
        Module m = new Sequential(new Linear(8, 3));
        var e = assertThrows(IllegalStateException.class,
                () -> overflowing(m, 1).fit(loader(blobs(64, 1), false), null));
        String msg = e.getMessage();
        assertTrue(msg.contains("optimizer step of epoch 1, batch 0"), msg);
        assertTrue(msg.contains("\"0.weight\"") && msg.contains("\"0.bias\""), msg);
        assertFalse(msg.contains("last finite"), msg);
        // The message is true: those parameters hold non-finite values.
        assertTrue(Arrays.stream(m.parameters().getFirst().toDoubleArray()).anyMatch(v -> !Double.isFinite(v)));
    }

    @Test
    void theLastStepOfAnEpochIsCheckedToo() {
        // One batch per epoch: no later batch would notice, and the run used to end "successfully".
        Myelin.manualSeed(2);
        Module m = new Sequential(new Linear(8, 3));
        var e = assertThrows(IllegalStateException.class,
                () -> overflowing(m, 2).fit(loader(blobs(32, 1), false), null));
        assertTrue(e.getMessage().contains("optimizer step of epoch 1, batch 0"), e.getMessage());
    }

    @Test
    void aNonFiniteLossSaysTheParametersAreFinite() {
        Module m = model();
        Trainer t = quiet(m, (out, b) -> out.sum().mul(Double.NaN)).build();
        var e = assertThrows(IllegalStateException.class, () -> t.fit(loader(blobs(64, 1), false), null));
        assertTrue(e.getMessage().contains("loss became NaN at epoch 1, batch 0"), e.getMessage());
        assertTrue(e.getMessage().contains("all finite"), e.getMessage());
    }

    @Test
    void emptyLoadersAreRejectedBeforeTheFirstEpoch() {
        TensorDataset data = blobs(64, 1);
        DataLoader empty = new DataLoader(Subset.first(data, 0), 32);
        DataLoader tooFewToKeep = new DataLoader(Subset.first(data, 10), 32,
                DataLoader.options().shuffle(true).dropLast(true));
        Module m = model();
        Trainer t = quiet(m, Criterion.of(new CrossEntropyLoss())).outputDir(dir, "empty").build();
        var e = assertThrows(IllegalArgumentException.class, () -> t.fit(empty, loader(data, false)));
        assertTrue(e.getMessage().contains("training DataLoader") && e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(tooFewToKeep, loader(data, false)));
        assertTrue(e.getMessage().contains("training DataLoader"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(loader(data, false), empty));
        assertTrue(e.getMessage().contains("validation DataLoader") && e.getMessage().contains("empty"),
                e.getMessage());
        assertEquals(0, t.history().size());
        assertFalse(Files.exists(dir.resolve("empty.safetensors")));
        e = assertThrows(IllegalArgumentException.class, () -> t.evaluate(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void earlyStoppingOrAPlateauScheduleWithoutValidationDataIsRejectedBeforeTheFirstEpoch() {
        Module m = model();
        double[][] before = values(m);
        Trainer t = quiet(m, Criterion.of(new CrossEntropyLoss()))
                .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VAL_LOSS, 1, 0)).build();
        var e = assertThrows(IllegalArgumentException.class, () -> t.fit(loader(blobs(64, 1), false), null));
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
        assertArrayEquals(before, values(m));

        var opt = sgd(m);
        Trainer plateau = Trainer.builder(m, opt, Criterion.of(new CrossEntropyLoss())).progressBar(false).log(null)
                .schedule(Schedules.onValidationLoss(ReduceLROnPlateau.with().build(opt))).build();
        e = assertThrows(IllegalArgumentException.class, () -> plateau.fit(loader(blobs(64, 1), false), null));
        assertTrue(e.getMessage().contains("validation"), e.getMessage());
        assertArrayEquals(before, values(m));
    }

    @Test
    void aNaNValidationLossIsNotCalledMissingValidationData() {
        TensorDataset val = blobs(30, 2);
        float[] x = new float[30 * 8];
        long[] y = new long[30];
        for (int i = 0; i < 30; i++) {
            var ex = val.get(i);
            System.arraycopy(ex.features().toFloatArray(), 0, x, i * 8, 8);
            y[i] = ex.label();
        }
        x[5] = Float.NaN;
        Myelin.manualSeed(3);
        Module m = model();
        Trainer t = quiet(m, Criterion.of(new CrossEntropyLoss()))
                .earlyStopping(new EarlyStopping(EarlyStopping.Monitor.VAL_LOSS, 1, 0)).epochs(2).build();
        var e = assertThrows(IllegalStateException.class,
                () -> t.fit(loader(blobs(64, 1), false), loader(new TensorDataset(x, new int[] {8}, y), false)));
        assertTrue(e.getMessage().contains("validation loss is NaN at epoch 1"), e.getMessage());
        assertFalse(e.getMessage().contains("give the trainer validation data"), e.getMessage());
    }
}

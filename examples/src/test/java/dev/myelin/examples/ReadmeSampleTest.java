package dev.myelin.examples;

import dev.myelin.Myelin;
import dev.myelin.data.DataLoader;
import dev.myelin.data.Dataset;
import dev.myelin.data.TensorDataset;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.nn.loss.Penalty;
import dev.myelin.nn.loss.RegularizedLoss;
import dev.myelin.optim.SGD;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.train.Criterion;
import dev.myelin.train.History;
import dev.myelin.train.Schedules;
import dev.myelin.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code sample in README.md, kept compiling and working here (on synthetic 28x28 data instead of Fashion-MNIST). */
class ReadmeSampleTest {
    @TempDir
    Path runs;

    /** Class c lights up row c of the image, plus noise. */
    private static Dataset images(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 784];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
            for (int p = 0; p < 784; p++) x[i * 784 + p] = (float) (r.nextGaussian() + (p / 28 == y[i] ? 1.5 : 0));
        }
        return new TensorDataset(x, new int[] {1, 28, 28}, y);
    }

    @Test
    void readmeSampleTrains() {
        Dataset train = images(512, 1), test = images(256, 2);
        int epochs = 3;

        Myelin.manualSeed(0);
        var model = new Sequential(new Flatten(),
                new Linear(784, 256), new BatchNorm1d(256), new ReLU(), new Dropout(0.2),
                new Linear(256, 10));
        var optimizer = SGD.with().lr(0.05).momentum(0.9).nesterov(true).build(model.parameters());
        var loss = new RegularizedLoss(new CrossEntropyLoss(), Penalty.l2(2e-4, Penalty.weightsOf(model)));
        var trainer = Trainer.builder(model, optimizer, Criterion.of(loss))
                .epochs(epochs)
                .schedule(Schedules.perEpoch(new CosineAnnealingLR(optimizer, epochs, 0)))
                .outputDir(runs, "mlp")                 // mlp.csv, mlp.png, mlp.safetensors
                .build();
        History history = trainer.fit(new DataLoader(train, 128, DataLoader.options().shuffle(true)),
                new DataLoader(test, 1000));
        System.out.println(model.summary() + "test accuracy " + history.last().valAccuracy());

        assertTrue(history.last().valAccuracy() > 0.9, history.toCsv());
    }
}

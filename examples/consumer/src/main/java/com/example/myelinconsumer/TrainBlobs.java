package com.example.myelinconsumer;

import dev.myelin.Myelin;
import dev.myelin.data.DataLoader;
import dev.myelin.data.TensorDataset;
import dev.myelin.nn.Linear;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Adam;
import dev.myelin.train.Criterion;
import dev.myelin.train.History;
import dev.myelin.train.Trainer;

import java.util.Random;

/** The README's program: an MLP learns to tell three Gaussian blobs apart. */
public final class TrainBlobs {
    public static void main(String[] args) {
        Myelin.manualSeed(0);
        var model = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 3));
        var optimizer = Adam.with().lr(0.01).build(model.parameters());
        var trainer = Trainer.builder(model, optimizer, Criterion.of(new CrossEntropyLoss()))
                .epochs(5).progressBar(false).build();
        History history = trainer.fit(new DataLoader(blobs(3000, 1), 64, DataLoader.options().shuffle(true)),
                new DataLoader(blobs(600, 2), 600));
        System.out.printf("test accuracy %.2f%%%n", 100 * history.last().valAccuracy());
    }

    /** n points in the plane, a third around each of three centres, labelled by their centre. */
    static TensorDataset blobs(int n, long seed) {
        Random random = new Random(seed);
        float[] points = new float[2 * n];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            double angle = 2 * Math.PI * labels[i] / 3;
            points[2 * i] = (float) (Math.cos(angle) + random.nextGaussian() * 0.6);
            points[2 * i + 1] = (float) (Math.sin(angle) + random.nextGaussian() * 0.6);
        }
        return new TensorDataset(points, new int[] {2}, labels);
    }
}

package dev.myelin.bench;

import dev.myelin.Tensor;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.MaxPool2d;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.SGD;

import java.util.List;
import java.util.Random;

/** The benchmark's models and optimizer, layer for layer the ones in bench/torch_reference.py. */
final class BenchModels {
    private BenchModels() {}

    static Sequential mlp() {
        return new Sequential(
                new Linear(784, 1024), new BatchNorm1d(1024), new ReLU(), new Dropout(0.2),
                new Linear(1024, 1024), new BatchNorm1d(1024), new ReLU(), new Dropout(0.2),
                new Linear(1024, 10));
    }

    static Sequential cnn() {
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(3136, 128), new ReLU(), new Dropout(0.5), new Linear(128, 10));
    }

    /** SGD lr 0.05, momentum 0.9, Nesterov, weight decay 5e-4: the training step. */
    static Optimizer sgd(List<Tensor> params) {
        return SGD.with().lr(0.05).momentum(0.9).nesterov(true).weightDecay(5e-4).build(params);
    }

    /** Class labels in [0, classes), int64, from a fixed seed. */
    static Tensor labels(int n, int classes) {
        Random random = new Random(0);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) y[i] = random.nextInt(classes);
        return Tensor.of(y, n);
    }
}

package dev.myelin.examples;

import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.MaxPool2d;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;

/** The examples' architectures; examples/torch/fashion_reference.py builds the same ones in PyTorch. */
final class Models {
    private Models() {
    }

    /** 784-1024-512-10 with batch norm, ReLU and dropout 0.2 after each hidden layer. */
    static Sequential mlp() {
        return new Sequential(new Flatten(),
                new Linear(784, 1024), new BatchNorm1d(1024), new ReLU(), new Dropout(0.2),
                new Linear(1024, 512), new BatchNorm1d(512), new ReLU(), new Dropout(0.2),
                new Linear(512, 10));
    }

    /** conv-BN-ReLU-pool twice, then a 128-unit hidden layer with dropout 0.5. */
    static Sequential cnn() {
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64 * 7 * 7, 128), new ReLU(), new Dropout(0.5), new Linear(128, 10));
    }

    /** The distillation student: one hidden layer of 128. */
    static Sequential studentMlp() {
        return new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
    }
}

package dev.myelin.train;

import dev.myelin.data.DataLoader;
import dev.myelin.data.TensorDataset;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.SGD;

import java.util.Random;

/** The trainer tests' small synthetic problem: Gaussian blobs, a tiny MLP, Nesterov SGD. */
final class Fixtures {
    private Fixtures() {
    }

    /** Three Gaussian blobs in 8 dimensions, 3 classes. */
    static TensorDataset blobs(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * 8];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int d = 0; d < 8; d++) x[i * 8 + d] = (float) (r.nextGaussian() + (d % 3 == y[i] ? 2.0 : 0.0));
        }
        return new TensorDataset(x, new int[] {8}, y);
    }

    static Module model() {
        return new Sequential(new Linear(8, 32), new BatchNorm1d(32), new ReLU(), new Dropout(0.2), new Linear(32, 3));
    }

    static Optimizer sgd(Module m) {
        return SGD.with().lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-4).build(m.parameters());
    }

    static DataLoader loader(TensorDataset data, boolean shuffle) {
        return new DataLoader(data, 32, DataLoader.options().shuffle(shuffle).seed(11));
    }

    /** Every parameter and buffer's values, to see that a failed call changed nothing. */
    static double[][] values(Module m) {
        return m.stateDict().values().stream().map(t -> t.toDoubleArray()).toArray(double[][]::new);
    }
}

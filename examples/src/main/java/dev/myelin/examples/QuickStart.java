package dev.myelin.examples;

import dev.myelin.DType;
import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Backends;
import dev.myelin.nn.functional.F;

import java.util.List;

/**
 * A two-layer MLP with batch norm and dropout, trained with the functional API on a synthetic
 * two-spirals problem: the smallest program that exercises the whole spine (tensors, autograd,
 * the backend's kernels, memory scopes, fused SGD). Runs on whichever backend is selected.
 */
public final class QuickStart {
    private static final int POINTS_PER_CLASS = 256, HIDDEN = 64, STEPS = 300;

    public static void main(String[] args) {
        double accuracy = train(STEPS);
        System.out.printf("backend %s, training accuracy %.1f%%%n", Backends.getDefault().name(), 100 * accuracy);
    }

    /** Trains for the given number of steps from a fixed seed and returns the training accuracy. */
    static double train(int steps) {
        Myelin.manualSeed(7);
        Backend backend = Backends.getDefault();
        Tensor[] data = spirals(POINTS_PER_CLASS);
        Tensor x = data[0], y = data[1];

        Tensor w1 = Tensor.randn(HIDDEN, 2).mul(Math.sqrt(2.0 / 2)).requiresGrad(true);
        Tensor b1 = Tensor.zeros(HIDDEN).requiresGrad(true);
        Tensor gamma = Tensor.ones(HIDDEN).requiresGrad(true);
        Tensor beta = Tensor.zeros(HIDDEN).requiresGrad(true);
        Tensor runningMean = Tensor.zeros(HIDDEN), runningVar = Tensor.ones(HIDDEN);
        Tensor w2 = Tensor.randn(2, HIDDEN).mul(Math.sqrt(2.0 / HIDDEN)).requiresGrad(true);
        Tensor b2 = Tensor.zeros(2).requiresGrad(true);
        List<Tensor> params = List.of(w1, b1, gamma, beta, w2, b2);
        List<Tensor> momentum = params.stream().map(Tensor::zerosLike).toList();

        for (int step = 1; step <= steps; step++) {
            try (var scope = MemoryScope.open()) {
                Tensor h = F.linear(x, w1, b1);
                h = F.batchNorm(h, runningMean, runningVar, gamma, beta, true, 0.1, 1e-5);
                h = F.dropout(F.relu(h), 0.1, true);
                Tensor loss = F.crossEntropy(F.linear(h, w2, b2), y);
                loss.backward();
                for (int i = 0; i < params.size(); i++) {
                    Tensor p = params.get(i);
                    backend.optim().sgd(p, p.grad(), momentum.get(i), 0.1, 0.9, 0, true, 1e-4, step == 1);
                    p.setGrad(null);
                }
                if (step % 50 == 0) System.out.printf("step %3d  loss %.4f%n", step, loss.item());
            }
        }
        try (var scope = MemoryScope.open(); var noGrad = GradMode.noGrad()) {
            Tensor h = F.relu(F.batchNorm(F.linear(x, w1, b1), runningMean, runningVar, gamma, beta, false, 0.1, 1e-5));
            Tensor predicted = F.linear(h, w2, b2).argmax(1, false);
            return predicted.eq(y).to(DType.FLOAT32).mean().item();
        }
    }

    /** Two interleaved spirals, one per class, with a little noise. */
    static Tensor[] spirals(int n) {
        float[] points = new float[4 * n];
        long[] labels = new long[2 * n];
        java.util.Random random = new java.util.Random(1);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                double r = (double) i / n * 5, angle = 1.0 * i / n * 2 * Math.PI + c * Math.PI;
                int row = c * n + i;
                points[2 * row] = (float) (r * Math.sin(angle) + 0.1 * random.nextGaussian());
                points[2 * row + 1] = (float) (r * Math.cos(angle) + 0.1 * random.nextGaussian());
                labels[row] = c;
            }
        }
        return new Tensor[] {Tensor.of(points, 2 * n, 2), Tensor.of(labels, 2 * n)};
    }
}

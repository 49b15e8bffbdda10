package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.nn.Module;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Optimizer;

import java.util.Arrays;
import java.util.function.Supplier;

/** One training step: forward, cross-entropy, backward, optimizer step, zero grad. */
final class TrainStep implements Workload {
    private final String name;
    private final Supplier<Module> modelFactory;
    private final int[] inputShape;
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private Module model;
    private Optimizer optimizer;
    private Tensor x;
    private Tensor y;

    TrainStep(String name, Supplier<Module> modelFactory, int... inputShape) {
        this.name = name;
        this.modelFactory = modelFactory;
        this.inputShape = inputShape;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String shape() {
        return "batch " + inputShape[0] + ", input " + Arrays.toString(inputShape);
    }

    @Override
    public void setUp() {
        Myelin.manualSeed(0);
        model = modelFactory.get();
        optimizer = BenchModels.sgd(model.parameters());
        x = Tensor.randn(inputShape);
        y = BenchModels.labels(inputShape[0], 10);
    }

    @Override
    public void iteration() {
        try (var scope = MemoryScope.open()) {
            loss.forward(model.forward(x), y).backward();
            optimizer.step();
            optimizer.zeroGrad();
        }
    }

    @Override
    public int samples() {
        return inputShape[0];
    }

    @Override
    public void close() {
        optimizer.close();
        model.close();
        x.close();
        y.close();
    }
}

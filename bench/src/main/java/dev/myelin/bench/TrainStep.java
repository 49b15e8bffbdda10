package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.nn.Module;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.optim.Optimizer;

import java.util.function.Supplier;

/** One training step: forward, cross-entropy, backward, optimizer step, zero grad. */
final class TrainStep extends ModelWorkload {
    private final CrossEntropyLoss loss = new CrossEntropyLoss();
    private Optimizer optimizer;
    private Tensor y;

    TrainStep(String name, Supplier<Module> modelFactory, int... inputShape) {
        super(name, modelFactory, inputShape);
    }

    @Override
    public void setUp() {
        super.setUp();
        optimizer = BenchModels.sgd(model.parameters());
        y = BenchModels.labels(x.size(0), 10);
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
    public void close() {
        optimizer.close();
        y.close();
        super.close();
    }
}

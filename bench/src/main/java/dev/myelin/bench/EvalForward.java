package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.nn.Module;

import java.util.Arrays;
import java.util.function.Supplier;

/** Inference: the model in eval mode, forward only, under no-grad. */
final class EvalForward implements Workload {
    private final String name;
    private final Supplier<Module> modelFactory;
    private final int[] inputShape;
    private Module model;
    private Tensor x;

    EvalForward(String name, Supplier<Module> modelFactory, int... inputShape) {
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
        model.eval();
        x = Tensor.randn(inputShape);
    }

    @Override
    public void iteration() {
        try (var scope = MemoryScope.open(); var noGrad = GradMode.noGrad()) {
            model.forward(x);
        }
    }

    @Override
    public int samples() {
        return inputShape[0];
    }

    @Override
    public void close() {
        model.close();
        x.close();
    }
}

package dev.myelin.bench;

import dev.myelin.MemoryScope;
import dev.myelin.autograd.GradMode;
import dev.myelin.nn.Module;

import java.util.function.Supplier;

/** Inference: the model in eval mode, forward only, under no-grad. */
final class EvalForward extends ModelWorkload {
    EvalForward(String name, Supplier<Module> modelFactory, int... inputShape) {
        super(name, modelFactory, inputShape);
    }

    @Override
    public void setUp() {
        super.setUp();
        model.eval();
    }

    @Override
    public void iteration() {
        try (var scope = MemoryScope.open(); var noGrad = GradMode.noGrad()) {
            model.forward(x);
        }
    }
}

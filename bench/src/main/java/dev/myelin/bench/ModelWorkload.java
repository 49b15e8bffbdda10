package dev.myelin.bench;

import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.nn.Module;

import java.util.Arrays;
import java.util.function.Supplier;

/** A workload on a whole model with a random input batch: the model is built from seed 0 in setUp. */
abstract class ModelWorkload implements Workload {
    private final String name;
    private final Supplier<Module> modelFactory;
    private final int[] inputShape;
    protected Module model;
    protected Tensor x;

    ModelWorkload(String name, Supplier<Module> modelFactory, int... inputShape) {
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
        x = Tensor.randn(inputShape);
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

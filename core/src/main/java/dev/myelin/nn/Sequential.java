package dev.myelin.nn;

import dev.myelin.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Applies its modules in order (torch.nn.Sequential); children are named "0", "1", ... unless added by name. */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Appends {@code module} named by its position. */
    public Sequential add(Module module) {
        return add(Integer.toString(layers.size()), module);
    }

    /** Appends {@code module} under {@code name} (its state-dict prefix). */
    public Sequential add(String name, Module module) {
        layers.add(registerModule(name, module));
        return this;
    }

    /** Puts {@code module} in place of layer {@code index}, under the same name (PyTorch's {@code seq[i] = m}). */
    public Sequential set(int index, Module module) {
        if (index < 0 || index >= layers.size()) {
            throw new IndexOutOfBoundsException("Sequential.set: index " + index + " out of range for "
                    + layers.size() + " layers");
        }
        // Layers are registered only by add, so the index-th child is layer index.
        replaceModule(List.copyOf(namedChildren().keySet()).get(index), module);
        layers.set(index, module);
        return this;
    }

    public Module get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    /**
     * Runs the layers in order. A {@link Linear} followed by an elementwise activation (ReLU, GELU
     * and every other {@link ElementwiseActivation}) runs as one fused step, bias and activation in
     * one kernel after the GEMM; its values and gradients are those of the two layers apart.
     */
    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < layers.size(); i++) {
            Module layer = layers.get(i);
            if (layer instanceof Linear linear && i + 1 < layers.size()
                    && layers.get(i + 1) instanceof ElementwiseActivation activation) {
                y = linear.forwardThen(activation, y);
                i++;
            } else {
                y = layer.forward(y);
            }
        }
        return y;
    }
}

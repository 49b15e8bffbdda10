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

    public Module get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : layers) y = m.forward(y);
        return y;
    }
}

package dev.myelin.nn;

import dev.myelin.MemoryScope;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base of the layers and models (PyTorch's torch.nn.Module): named parameters, buffers and child
 * modules, train/eval mode, state dicts with PyTorch's dotted names ({@code "0.weight"},
 * {@code "features.bn1.running_mean"}), and a summary.
 *
 * <p>Parameters and buffers belong to no memory scope: they live until {@link #close()}.
 * {@link #loadStateDict} copies values into them in place, so optimizers holding the
 * parameters keep working.
 */
public abstract class Module implements AutoCloseable {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Applies the module to {@code x}. */
    public abstract Tensor forward(Tensor x);

    /** Registers a parameter: it will require grad and be trained, saved and counted. Returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        params.put(name, MemoryScope.release(value.requiresGrad(true)));
        return value;
    }

    /** Registers a buffer (state that is saved but not trained, e.g. running statistics). Returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, MemoryScope.release(value));
        return value;
    }

    /** Registers a child module under {@code name}. Returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    /** Puts {@code module} in place of the child registered as {@code name}, keeping its position. */
    final void replaceModule(String name, Module module) {
        if (!children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no child module \"" + name + "\"");
        }
        children.put(name, module);
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name \"" + name
                    + "\" must be non-empty and contain no '.'");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": \"" + name + "\" is already registered");
        }
    }

    // ------------------------------------------------------------------ traversal

    /** Direct children in registration order. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final LinkedHashMap<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, true, false);
        return out;
    }

    /** Every buffer of this module and its descendants, by dotted name. */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collect(this, "", out, false, true);
        return out;
    }

    /** Every parameter (each once, even if shared), for an optimizer. */
    public final List<Tensor> parameters() {
        Set<Tensor> unique = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : namedParameters().values()) if (unique.add(p)) out.add(p);
        return out;
    }

    /** The number of trainable scalars. */
    public final long numParameters() {
        long n = 0;
        for (Tensor p : parameters()) n += p.numel();
        return n;
    }

    private static void collect(Module m, String prefix, Map<String, Tensor> out, boolean withParams,
            boolean withBuffers) {
        if (withParams) m.params.forEach((k, v) -> out.put(prefix + k, v));
        if (withBuffers) m.buffers.forEach((k, v) -> out.put(prefix + k, v));
        m.children.forEach((k, c) -> collect(c, prefix + k + ".", out, withParams, withBuffers));
    }

    // ------------------------------------------------------------------ mode

    /** Training mode (dropout drops, batch norm uses and updates batch statistics), recursively. */
    public Module train() {
        return train(true);
    }

    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) c.train(mode);
        return this;
    }

    /** Evaluation mode, recursively. */
    public Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    // ------------------------------------------------------------------ state

    /** Parameters then buffers of each module, depth first, by dotted name: views of the live tensors. */
    public final LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState(this, "", out);
        return out;
    }

    private static void collectState(Module m, String prefix, Map<String, Tensor> out) {
        m.params.forEach((k, v) -> out.put(prefix + k, v));
        m.buffers.forEach((k, v) -> out.put(prefix + k, v));
        m.children.forEach((k, c) -> collectState(c, prefix + k + ".", out));
    }

    /** {@link #loadStateDict(Map, boolean)} with strict = true. */
    public final void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true);
    }

    /**
     * Copies values into this module's parameters and buffers (cast to their dtypes). Every
     * problem is checked before anything is written, so a failed load leaves the module as it was.
     *
     * @param strict when true, missing or unexpected keys are an error; shapes must always match
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src == null) {
                if (strict) problems.add("missing key \"" + e.getKey() + "\"");
            } else if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                problems.add("\"" + e.getKey() + "\": checkpoint shape " + Shape.str(src.shape()) + ", module shape "
                        + Shape.str(e.getValue().shape()));
            }
        }
        if (strict) {
            Set<String> unexpected = new LinkedHashSet<>(state.keySet());
            unexpected.removeAll(own.keySet());
            for (String k : unexpected) problems.add("unexpected key \"" + k + "\"");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: "
                    + String.join("; ", problems));
        }
        try (var ignored = GradMode.noGrad()) {
            for (var e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) e.getValue().copyFrom(src);
            }
        }
        afterLoad();
    }

    /** Called after {@link #loadStateDict} wrote new values, for modules that mirror a buffer in a field. */
    protected void afterLoad() {
        for (Module c : children.values()) c.afterLoad();
    }

    /** A table of the module tree: name, type, parameter count; and the total. */
    public String summary() {
        return ModuleSummary.of(this);
    }

    /** One line describing the module's configuration, as PyTorch's extra_repr (e.g. "784 -> 10, bias"). */
    protected String describe() {
        return "";
    }

    String description() {
        return describe();
    }

    /** Own parameters only (not children's). */
    final Map<String, Tensor> ownParameters() {
        return Collections.unmodifiableMap(params);
    }

    @Override
    public String toString() {
        String d = describe();
        return getClass().getSimpleName() + "(" + d + ")";
    }

    /** Frees every parameter and buffer of this module and its descendants. */
    @Override
    public void close() {
        params.values().forEach(Tensor::close);
        buffers.values().forEach(Tensor::close);
        children.values().forEach(Module::close);
    }
}

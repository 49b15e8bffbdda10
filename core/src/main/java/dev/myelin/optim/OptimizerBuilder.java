package dev.myelin.optim;

import dev.myelin.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects an optimizer's default hyper-parameters (PyTorch's constructor keywords) and builds it
 * over one list of parameters or over several {@link ParamGroup}s that may override them.
 */
public abstract class OptimizerBuilder<B extends OptimizerBuilder<B, O>, O extends Optimizer> {
    protected final Map<String, Double> defaults = new LinkedHashMap<>();

    protected OptimizerBuilder(Map<String, Double> initial) {
        defaults.putAll(initial);
    }

    @SuppressWarnings("unchecked")
    protected final B set(String option, double value) {
        defaults.put(option, value);
        return (B) this;
    }

    /**
     * Sets an option by its PyTorch name ({@code "weight_decay"}, {@code "momentum"}; flags as 1 or 0;
     * Adam's betas as {@code "beta1"}, {@code "beta2"}), for configuration read from files.
     */
    public final B option(String name, double value) {
        if (!name.equals("lr") && !defaults.containsKey(name)) {
            throw new IllegalArgumentException(name() + ": unknown option \"" + name + "\"; known: lr, "
                    + defaults.keySet());
        }
        return set(name, value);
    }

    protected final B set(String option, boolean value) {
        return set(option, value ? 1 : 0);
    }

    public final B lr(double lr) {
        return set("lr", lr);
    }

    /** L2 weight decay added to the gradient (decoupled for AdamW). */
    public final B weightDecay(double weightDecay) {
        return set("weight_decay", weightDecay);
    }

    /** Builds the optimizer over one group holding {@code params}. */
    public final O build(List<Tensor> params) {
        return buildGroups(ParamGroup.single(params));
    }

    /** Builds the optimizer over several groups; options a group sets override the defaults. */
    public final O buildGroups(List<ParamGroup> groups) {
        if (!defaults.containsKey("lr") && groups.stream().anyMatch(g -> !g.has("lr"))) {
            throw new IllegalArgumentException(name() + ": a learning rate is required (lr)");
        }
        return create(groups, Map.copyOf(defaults));
    }

    protected abstract String name();

    protected abstract O create(List<ParamGroup> groups, Map<String, Double> defaults);
}

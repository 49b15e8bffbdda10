package dev.myelin.optim;

import dev.myelin.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of parameters with its own hyper-parameters (PyTorch's {@code param_groups} entry).
 * Options are numbers keyed by PyTorch's names ({@code "lr"}, {@code "weight_decay"},
 * {@code "momentum"}, ...). A group built with {@link #of} carries only the options it
 * overrides; the optimizer fills in its defaults for the rest when the group is added, and checks
 * them then. Once the group is in an optimizer, setting an option to NaN or an infinity is refused.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> options = new LinkedHashMap<>();
    /** The optimizer holding this group (for messages), or null before it is added to one. */
    private String owner;

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** A group of {@code params}, overriding none of the optimizer's defaults yet. */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    /**
     * Overrides one option for this group, e.g. {@code set("weight_decay", 0)}; returns this.
     *
     * @throws IllegalArgumentException if the group is in an optimizer and value is NaN or infinite
     */
    public ParamGroup set(String option, double value) {
        if (owner != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException(owner + ": invalid " + option + ": " + value
                    + " (a hyper-parameter must be a finite number)");
        }
        options.put(option, value);
        return this;
    }

    public List<Tensor> params() {
        return params;
    }

    /** The option {@code name}; IllegalArgumentException naming it when the group has no such option. */
    public double get(String name) {
        Double v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("param group: no option \"" + name + "\"; has " + options.keySet());
        }
        return v;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** The learning rate in force for this group (schedulers change it between steps). */
    public double lr() {
        return get("lr");
    }

    /** Sets the learning rate; as {@link #set}, NaN and infinities are refused once the group is in an optimizer. */
    public void setLr(double lr) {
        set("lr", lr);
    }

    /** A read-only view of this group's options. */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    /** Copies every default this group does not override. */
    void fillDefaults(Map<String, Double> defaults) {
        defaults.forEach(options::putIfAbsent);
    }

    /** Called when an optimizer takes the group: from now on non-finite values are refused. */
    void attachTo(String optimizer) {
        owner = optimizer;
    }

    static List<ParamGroup> single(List<Tensor> params) {
        return new ArrayList<>(List.of(of(params)));
    }
}

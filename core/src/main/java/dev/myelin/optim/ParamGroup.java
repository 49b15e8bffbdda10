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
 * overrides; the optimizer fills in its defaults for the rest when the group is added.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** A group of {@code params}, overriding none of the optimizer's defaults yet. */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    /** Overrides one option for this group, e.g. {@code set("weight_decay", 0)}; returns this. */
    public ParamGroup set(String option, double value) {
        options.put(option, value);
        return this;
    }

    public List<Tensor> params() {
        return params;
    }

    /** The option {@code name}; IllegalArgumentException naming it when the group has no such option. */
    public double get(String name) {
        Double v = options.get(name);
        if (v == null) throw new IllegalArgumentException("param group: no option \"" + name + "\"; has " + options.keySet());
        return v;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** The learning rate in force for this group (schedulers change it between steps). */
    public double lr() {
        return get("lr");
    }

    public void setLr(double lr) {
        options.put("lr", lr);
    }

    /** A read-only view of this group's options. */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    /** Copies every default this group does not override. */
    void fillDefaults(Map<String, Double> defaults) {
        defaults.forEach(options::putIfAbsent);
    }

    static List<ParamGroup> single(List<Tensor> params) {
        return new ArrayList<>(List.of(of(params)));
    }
}

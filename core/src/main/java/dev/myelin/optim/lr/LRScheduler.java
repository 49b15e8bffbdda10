package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;
import dev.myelin.optim.ParamGroup;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the epoch-indexed schedules, with PyTorch 1.13's _LRScheduler semantics: on creation
 * each group gets an {@code initial_lr} option (its lr, unless already set), those are the base
 * lrs, and one initial step sets epoch 0's lrs. Subclasses give PyTorch's recursive ("chainable")
 * form, which derives the new lr from the group's current one so that schedules compose in a
 * {@link ChainedScheduler}, and optionally the closed form used by {@link SequentialLR}.
 * Subclass constructors set their fields and then call {@link #initialStep()}.
 */
public abstract class LRScheduler implements Scheduler {
    protected final Optimizer optimizer;
    protected final String name;
    protected final double[] baseLrs;
    protected int lastEpoch = -1;
    protected int stepCount;
    private double[] lastLr;

    protected LRScheduler(String name, Optimizer optimizer) {
        this.name = name;
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            baseLrs[i] = g.get("initial_lr");
        }
    }

    /** PyTorch's _initial_step: the step that sets epoch 0's learning rates. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    @Override
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(chainableLr());
    }

    /** Jumps to {@code epoch} using the closed form where there is one (PyTorch's step(epoch)). */
    void stepTo(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        double[] closed = closedFormLr();
        apply(closed != null ? closed : chainableLr());
    }

    /** The new lr of each group from its current lr (PyTorch's get_lr). */
    protected abstract double[] chainableLr();

    /** The lr of each group as a function of lastEpoch alone, or null where PyTorch has none. */
    protected double[] closedFormLr() {
        return null;
    }

    /** The current lr of group i. */
    protected final double groupLr(int i) {
        return optimizer.paramGroups().get(i).lr();
    }

    /** Each group's current lr times its factor. */
    protected final double[] scaled(double factor) {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = groupLr(i) * factor;
        return lrs;
    }

    private void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) groups.get(i).setLr(lrs[i]);
        lastLr = lrs.clone();
    }

    /** Makes the next {@link #step()} repeat the current epoch (SequentialLR's reset). */
    void rewindOneEpoch() {
        lastEpoch--;
    }

    public final int lastEpoch() {
        return lastEpoch;
    }

    @Override
    public final double[] lastLr() {
        return lastLr.clone();
    }

    @Override
    public Map<String, String> stateDict() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("scheduler", name);
        s.put("last_epoch", Integer.toString(lastEpoch));
        s.put("step_count", Integer.toString(stepCount));
        s.put("last_lr", join(lastLr));
        return s;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        SchedulerStates.requireKind(name, state);
        lastEpoch = Integer.parseInt(state.get("last_epoch"));
        stepCount = Integer.parseInt(state.get("step_count"));
        lastLr = split(state.get("last_lr"));
    }

    static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) sb.append(sb.isEmpty() ? "" : ",").append(v);
        return sb.toString();
    }

    static double[] split(String values) {
        return Arrays.stream(values.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    static IllegalArgumentException invalid(String scheduler, String message) {
        return new IllegalArgumentException(scheduler + ": " + message);
    }
}

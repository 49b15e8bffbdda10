package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;
import dev.myelin.optim.ParamGroup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the epoch-driven learning-rate schedulers, with PyTorch 1.13's {@code _LRScheduler}
 * semantics: on construction each parameter group gets the option {@code "initial_lr"} (its
 * current lr) unless it has one, {@link #baseLrs()} are those initial lrs, {@link #lastEpoch()}
 * starts at -1 and the constructor takes the initial step to epoch 0. Each {@link #step()}
 * increments the epoch and sets every group's lr from {@link #getLr()}, the <em>chainable</em>
 * form, which mostly scales the lr in force (so that schedulers compose, see
 * {@link ChainedScheduler}) rather than recomputing it from the base lr.
 *
 * <p>Call {@code step()} once per epoch, after the optimizer's steps of that epoch. To resume a
 * run, restore the optimizer's state dict (it holds the group lrs and {@code "initial_lr"}) and
 * this scheduler's {@link #stateDict()}. PyTorch's {@code last_epoch} constructor argument is not
 * offered: resuming goes through the state dicts.
 */
public abstract class LRScheduler {
    private final String name;
    protected final Optimizer optimizer;
    protected final double[] baseLrs;
    protected int lastEpoch = -1;
    private double[] lastLr;

    /** @param name the scheduler's PyTorch class name, used in messages and in the state dict */
    protected LRScheduler(String name, Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException(name + ": optimizer is null");
        this.name = name;
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            baseLrs[i] = g.get("initial_lr");
        }
        lastLr = currentLrs();
    }

    /** The lr of every group for the epoch {@link #lastEpoch} has just moved to (chainable form). */
    protected abstract double[] getLr();

    /**
     * The closed form of the lr at {@link #lastEpoch}, from the base lrs alone, or null where the
     * scheduler has none; PyTorch's deprecated {@code step(epoch)} uses it (see {@link SequentialLR}).
     */
    protected double[] closedFormLr() {
        return null;
    }

    /** The constructor's last act: the step to epoch 0 (PyTorch's {@code _initial_step}). */
    protected final void initialStep() {
        step();
    }

    /** Advances one epoch and sets every group's lr. */
    public final void step() {
        lastEpoch++;
        apply(getLr());
    }

    /** PyTorch's {@code step(epoch)}: jumps to {@code epoch}, with the closed form where there is one. */
    final void stepTo(int epoch) {
        lastEpoch = epoch;
        double[] closed = closedFormLr();
        apply(closed != null ? closed : getLr());
    }

    private void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) groups.get(i).setLr(lrs[i]);
        syncLastLr();
    }

    /** Records the groups' lrs in force as the last ones set (a wrapper whose wrapped scheduler set them). */
    final void syncLastLr() {
        lastLr = currentLrs();
    }

    /** Every group's lr in force, in group order. */
    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) lrs[i] = groups.get(i).lr();
        return lrs;
    }

    /** The lrs this scheduler set last, one per group (PyTorch's {@code get_last_lr()}). */
    public final double[] getLastLr() {
        return lastLr.clone();
    }

    /** The epoch the schedule stands at: 0 after construction, +1 per {@link #step()}. */
    public final int lastEpoch() {
        return lastEpoch;
    }

    /** Each group's {@code "initial_lr"} when the scheduler was built. */
    public final double[] baseLrs() {
        return baseLrs.clone();
    }

    public final Optimizer optimizer() {
        return optimizer;
    }

    public final String name() {
        return name;
    }

    /**
     * The scheduler's state for a checkpoint: {@code scheduler} (its name), {@code last_epoch},
     * {@code base_lr.<g>} and {@code last_lr.<g>} per group, plus what a subclass keeps; numbers
     * are written with {@link Double#toString}, which reads back to the same double. The group
     * lrs themselves belong to the optimizer's state dict.
     */
    public Map<String, String> stateDict() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("scheduler", name);
        state.put("last_epoch", Integer.toString(lastEpoch));
        for (int i = 0; i < baseLrs.length; i++) state.put("base_lr." + i, Double.toString(baseLrs[i]));
        for (int i = 0; i < lastLr.length; i++) state.put("last_lr." + i, Double.toString(lastLr[i]));
        return state;
    }

    /** Restores a {@link #stateDict()} saved by a scheduler of the same kind over as many groups. */
    public void loadStateDict(Map<String, String> state) {
        StateDicts.checkName(name, state);
        int groups = optimizer.paramGroups().size();
        double[] base = StateDicts.perGroup(name, state, "base_lr", groups);
        double[] last = StateDicts.perGroup(name, state, "last_lr", groups);
        lastEpoch = StateDicts.integer(name, state, "last_epoch");
        System.arraycopy(base, 0, baseLrs, 0, groups);
        lastLr = last;
    }
}

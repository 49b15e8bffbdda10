package dev.myelin.optim;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Backend;
import dev.myelin.backend.Fused;
import dev.myelin.backend.Optim;
import dev.myelin.ops.composite.CompositeOptim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Base of the optimizers (PyTorch's torch.optim.Optimizer): parameter groups with their own
 * hyper-parameters, per-parameter state, {@link #zeroGrad()} and {@link #step()} running one
 * update per parameter (the backend's fused kernel, or {@link CompositeOptim}), and a state dict
 * that checkpoints hold.
 *
 * <p>Closing an optimizer frees its state buffers; the parameters stay the caller's.
 */
public abstract class Optimizer implements AutoCloseable {
    private final String name;
    private final Map<String, Double> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, ParamState> state = new LinkedHashMap<>();
    private final Set<Tensor> known = Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** @param name the optimizer's PyTorch name, used in error messages */
    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Double> defaults) {
        this.name = name;
        this.defaults = Map.copyOf(defaults);
        // PyTorch checks the constructor's defaults too, including those every group overrides.
        ParamGroup asGroup = ParamGroup.of(List.of());
        this.defaults.forEach(asGroup::set);
        check(asGroup);
        if (groups.isEmpty()) throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /** Adds a group (PyTorch's add_param_group); its missing options take this optimizer's defaults. */
    public final void addParamGroup(ParamGroup group) {
        if (group.params().isEmpty()) {
            throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        }
        for (Tensor p : group.params()) {
            if (!p.dtype().isFloating()) {
                throw new IllegalArgumentException(name + ": can only optimize floating-point tensors, got " + p.dtype()
                        + " of shape " + Shape.str(p.shape()));
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor of shape "
                        + Shape.str(p.shape()));
            }
            if (!known.add(p)) {
                throw new IllegalArgumentException(name + ": some parameters appear in more than one parameter group");
            }
        }
        group.fillDefaults(defaults);
        check(group);
        group.attachTo(name);
        groups.add(group);
    }

    /** The learning rates every group may hold (the schedulers add the last three), then the optimizer's own checks. */
    private void check(ParamGroup group) {
        requireNonNegative(group, "lr", "learning rate");
        for (String lr : List.of("initial_lr", "max_lr", "min_lr")) requireNonNegative(group, lr, lr);
        validate(group);
    }

    /**
     * Checks a group's hyper-parameters when it is added (and the builder's defaults, as a group
     * that may lack "lr"); IllegalArgumentException naming the optimizer, the option and the value.
     * The {@code require...} helpers skip options the group does not have. Once a group is in an
     * optimizer, its setters and {@link #loadStateDict} refuse non-finite values only: a schedule
     * may take an lr a rounding error below 0, as PyTorch's does.
     */
    protected abstract void validate(ParamGroup group);

    /** Applies one update to {@code param} (whose gradient is {@code grad}) with its group's options. */
    protected abstract void update(Optim kernels, ParamGroup group, Tensor param, Tensor grad, ParamState state);

    public final String name() {
        return name;
    }

    public final List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** Every parameter, group by group, in the order the state dict numbers them. */
    public final List<Tensor> params() {
        List<Tensor> all = new ArrayList<>();
        for (ParamGroup g : groups) all.addAll(g.params());
        return all;
    }

    /** The state of {@code param}, or null before its first step. */
    public final ParamState state(Tensor param) {
        return state.get(param);
    }

    /** Clears every gradient (set to none, PyTorch 2's default). */
    public void zeroGrad() {
        for (ParamGroup g : groups) for (Tensor p : g.params()) p.setGrad(null);
    }

    /** One update of every parameter that has a gradient; parameters without one are skipped. */
    public void step() {
        try (var ignored = GradMode.noGrad()) {
            for (ParamGroup g : groups) {
                for (Tensor p : g.params()) {
                    Tensor grad = p.grad();
                    if (grad == null) continue;
                    if (grad.dtype() != p.dtype()) {
                        throw new IllegalArgumentException(name + ".step: gradient dtype " + grad.dtype()
                                + " does not match parameter dtype " + p.dtype() + " (shape "
                                + Shape.str(p.shape()) + ")");
                    }
                    ParamState s = state.computeIfAbsent(p, k -> new ParamState());
                    s.incrementStep();
                    update(updates(p.backend()), g, p, grad.contiguous(), s);
                    // The kernels wrote p and its state in place: a graph that saved p is now stale.
                    p.incrementVersion();
                    s.incrementVersions();
                }
            }
        }
    }

    /** The backend's fused updates where it lists {@link Fused#OPTIMIZER}, else the composite ones. */
    private static Optim updates(Backend backend) {
        return backend.fused().contains(Fused.OPTIMIZER) ? backend.optim() : CompositeOptim.INSTANCE;
    }

    /** Frees every state buffer; the optimizer starts afresh if stepped again. */
    @Override
    public void close() {
        state.values().forEach(ParamState::close);
        state.clear();
    }

    // ------------------------------------------------------------------ state dict

    /** The optimizer's state for a checkpoint; see {@link OptimizerState}. */
    public final OptimizerState stateDict() {
        return OptimizerState.capture(this, state);
    }

    /**
     * Restores state saved by {@link #stateDict()} from an optimizer over parameters of the same
     * shapes in the same order. Buffers are copied, so the caller keeps ownership of its tensors.
     */
    public final void loadStateDict(OptimizerState saved) {
        Map<Tensor, ParamState> restored = saved.restore(this);
        close();
        state.putAll(restored);
    }

    /** The option value as a boolean flag (stored as 1 or 0). */
    protected static boolean flag(ParamGroup g, String option) {
        return g.get(option) != 0;
    }

    /** The option, when present, is a finite number >= 0; {@code what} names it as PyTorch does ("learning rate"). */
    protected final void requireNonNegative(ParamGroup g, String option, String what) {
        if (!g.has(option)) return;
        double v = g.get(option);
        if (!(v >= 0 && v < Double.POSITIVE_INFINITY)) throw invalid(what, option, v, "a finite number >= 0");
    }

    /** The option, when present, is finite (neither NaN nor infinite). */
    protected final void requireFinite(ParamGroup g, String option, String what) {
        if (!g.has(option)) return;
        double v = g.get(option);
        if (!Double.isFinite(v)) throw invalid(what, option, v, "a finite number");
    }

    /** The option, when present, lies in [0, 1) (Adam's betas). */
    protected final void requireUnitInterval(ParamGroup g, String option, String what) {
        if (!g.has(option)) return;
        double v = g.get(option);
        if (!(v >= 0 && v < 1)) throw invalid(what, option, v, "in [0, 1)");
    }

    /** The option, when present, is a flag: 0 or 1. */
    protected final void requireFlag(ParamGroup g, String option) {
        if (!g.has(option)) return;
        double v = g.get(option);
        if (v != 0 && v != 1) throw invalid(option, option, v, "a flag, 0 or 1");
    }

    /** {@code "SGD: invalid learning rate: NaN (lr must be a finite number >= 0)"}. */
    protected final IllegalArgumentException invalid(String what, String option, double value, String expected) {
        return new IllegalArgumentException(name + ": invalid " + what + ": " + value + " (" + option + " must be "
                + expected + ")");
    }
}

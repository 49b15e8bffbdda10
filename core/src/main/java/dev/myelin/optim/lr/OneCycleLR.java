package dev.myelin.optim.lr;

import dev.myelin.ops.Checks;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.ParamGroup;

import java.util.Arrays;
import java.util.List;

/**
 * The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR), stepped once per batch: the lr rises
 * from {@code max_lr / div_factor} to {@code max_lr} over the first {@code pct_start} of the
 * steps, then anneals to {@code initial_lr / final_div_factor}; with three phases it first comes
 * back down to the initial lr symmetrically and only then anneals to the minimum. Annealing is
 * cosine or linear. With {@code cycle_momentum} the momentum moves inversely between
 * {@code max_momentum} and {@code base_momentum}: the group option {@code "momentum"} (SGD,
 * RMSprop) or {@code "beta1"} (Adam, AdamW). Not chainable: it computes each lr afresh.
 *
 * <p>As in PyTorch, the groups get the options {@code "initial_lr"}, {@code "max_lr"},
 * {@code "min_lr"} (and {@code "max_momentum"}, {@code "base_momentum"}), which the optimizer's
 * state dict keeps. Stepping past {@code total_steps} throws IllegalStateException.
 * <pre>{@code OneCycleLR sched = OneCycleLR.with(0.1).totalSteps(epochs * batches).build(opt);}</pre>
 */
public final class OneCycleLR extends LRScheduler {
    /** How the lr (and momentum) moves within a phase. */
    public enum AnnealStrategy { COS, LINEAR }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    private final int totalSteps;
    private final List<Phase> phases;
    private final AnnealStrategy anneal;
    /** The group option that carries the momentum, or null when momentum is not cycled. */
    private final String momentumKey;

    /** A builder with {@code max_lr} for every group (one value) or per group. */
    public static Builder with(double... maxLr) {
        return new Builder(maxLr);
    }

    /** OneCycleLR's options, with PyTorch's defaults. */
    public static final class Builder {
        private final double[] maxLr;
        private Integer totalSteps, epochs, stepsPerEpoch;
        private double pctStart = 0.3;
        private AnnealStrategy anneal = AnnealStrategy.COS;
        private boolean cycleMomentum = true;
        private double[] baseMomentum = {0.85}, maxMomentum = {0.95};
        private double divFactor = 25, finalDivFactor = 1e4;
        private boolean threePhase;

        private Builder(double[] maxLr) {
            this.maxLr = maxLr == null ? null : maxLr.clone();
        }

        /** The number of steps in the cycle; takes precedence over {@link #epochs}. */
        public Builder totalSteps(int totalSteps) {
            this.totalSteps = totalSteps;
            return this;
        }

        /** The cycle's length as {@code epochs * stepsPerEpoch}, when {@link #totalSteps} is not given. */
        public Builder epochs(int epochs, int stepsPerEpoch) {
            this.epochs = epochs;
            this.stepsPerEpoch = stepsPerEpoch;
            return this;
        }

        public Builder pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        public Builder annealStrategy(AnnealStrategy anneal) {
            this.anneal = anneal;
            return this;
        }

        public Builder cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** The momentum at the lr's peak (one value or one per group); default 0.85. */
        public Builder baseMomentum(double... baseMomentum) {
            this.baseMomentum = baseMomentum.clone();
            return this;
        }

        /** The momentum at the cycle's ends (one value or one per group); default 0.95. */
        public Builder maxMomentum(double... maxMomentum) {
            this.maxMomentum = maxMomentum.clone();
            return this;
        }

        /** {@code initial_lr = max_lr / divFactor}; default 25. */
        public Builder divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /** {@code min_lr = initial_lr / finalDivFactor}; default 1e4. */
        public Builder finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        public Builder threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        public OneCycleLR build(Optimizer optimizer) {
            return new OneCycleLR(optimizer, this);
        }
    }

    private OneCycleLR(Optimizer optimizer, Builder b) {
        if (optimizer == null) throw new IllegalArgumentException("OneCycleLR: optimizer is null");
        int total = totalSteps(b);
        if (!(b.pctStart >= 0 && b.pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: expected float between 0 and 1 pct_start, but got "
                    + b.pctStart);
        }
        if (b.anneal == null) throw new IllegalArgumentException("OneCycleLR: anneal_strategy is null");
        if (!(b.divFactor > 0)) {
            throw new IllegalArgumentException("OneCycleLR: div_factor must be positive, got " + b.divFactor);
        }
        if (!(b.finalDivFactor > 0)) {
            throw new IllegalArgumentException("OneCycleLR: final_div_factor must be positive, got "
                    + b.finalDivFactor);
        }
        Checks.finitePositive("OneCycleLR", "div_factor", b.divFactor);
        Checks.finitePositive("OneCycleLR", "final_div_factor", b.finalDivFactor);
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] maxLrs = perGroup("max_lr", b.maxLr, groups.size());
        String key = null;
        if (b.cycleMomentum) {
            ParamGroup first = groups.getFirst();
            // PyTorch cycles beta1 when the optimizer has betas, else momentum.
            if (first.has("beta1")) key = "beta1";
            else if (first.has("momentum")) key = "momentum";
            else throw new IllegalArgumentException("OneCycleLR: optimizer must support momentum with `cycle_momentum` "
                    + "option enabled");
        }
        double[] maxMomenta = key == null ? null : perGroup("max_momentum", b.maxMomentum, groups.size());
        double[] baseMomenta = key == null ? null : perGroup("base_momentum", b.baseMomentum, groups.size());
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            double initial = maxLrs[i] / b.divFactor;
            g.set("initial_lr", initial).set("max_lr", maxLrs[i]).set("min_lr", initial / b.finalDivFactor);
            if (key != null) {
                g.set(key, maxMomenta[i]).set("max_momentum", maxMomenta[i]).set("base_momentum", baseMomenta[i]);
            }
        }
        this.totalSteps = total;
        this.phases = phases(b.threePhase, b.pctStart, total);
        this.anneal = b.anneal;
        this.momentumKey = key;
        super("OneCycleLR", optimizer);
        initialStep();
    }

    private static int totalSteps(Builder b) {
        if (b.totalSteps != null) {
            if (b.totalSteps <= 0) {
                throw new IllegalArgumentException("OneCycleLR: expected positive integer total_steps, but got "
                        + b.totalSteps);
            }
            return b.totalSteps;
        }
        if (b.epochs == null) {
            throw new IllegalArgumentException("OneCycleLR: you must define either total_steps OR (epochs AND "
                    + "steps_per_epoch)");
        }
        if (b.epochs <= 0) {
            throw new IllegalArgumentException("OneCycleLR: expected positive integer epochs, but got " + b.epochs);
        }
        if (b.stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("OneCycleLR: expected positive integer steps_per_epoch, but got "
                    + b.stepsPerEpoch);
        }
        return Math.multiplyExact(b.epochs, b.stepsPerEpoch);
    }

    private static List<Phase> phases(boolean threePhase, double pctStart, int total) {
        if (threePhase) {
            return List.of(new Phase(pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(2 * pctStart * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    new Phase(total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        }
        return List.of(new Phase(pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
    }

    /** One value for every group, or exactly one per group. */
    private static double[] perGroup(String what, double[] values, int groups) {
        if (values == null || (values.length != 1 && values.length != groups)) {
            throw new IllegalArgumentException("OneCycleLR: expected " + groups + " values for " + what + ", got "
                    + (values == null ? 0 : values.length));
        }
        for (int i = 0; i < values.length; i++) {
            Checks.finiteNonNegative("OneCycleLR", values.length == 1 ? what : what + "[" + i + "]", values[i]);
        }
        if (values.length == groups) return values.clone();
        double[] out = new double[groups];
        Arrays.fill(out, values[0]);
        return out;
    }

    private double anneal(double start, double end, double pct) {
        return switch (anneal) {
            case COS -> end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
            case LINEAR -> (end - start) * pct + start;
        };
    }

    /** The lr (and, cycling, the momentum it sets in the group) at step {@link #lastEpoch}. */
    @Override
    protected double[] getLr() {
        int step = lastEpoch;
        if (step > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (step + 1)
                    + " times. The specified number of total steps is " + totalSteps);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) {
            ParamGroup g = groups.get(i);
            double startStep = 0;
            for (int p = 0; p < phases.size(); p++) {
                Phase phase = phases.get(p);
                if (step <= phase.endStep() || p == phases.size() - 1) {
                    double pct = (step - startStep) / (phase.endStep() - startStep);
                    lrs[i] = anneal(g.get(phase.startLr()), g.get(phase.endLr()), pct);
                    if (momentumKey != null) {
                        g.set(momentumKey, anneal(g.get(phase.startMomentum()), g.get(phase.endMomentum()), pct));
                    }
                    break;
                }
                startStep = phase.endStep();
            }
        }
        return lrs;
    }
}

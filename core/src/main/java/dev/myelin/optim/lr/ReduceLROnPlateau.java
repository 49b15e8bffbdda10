package dev.myelin.optim.lr;

import dev.myelin.ops.Checks;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.ParamGroup;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multiplies the lr by {@code factor} once a metric has not improved for more than
 * {@code patience} epochs (torch.optim.lr_scheduler.ReduceLROnPlateau). An epoch improves when
 * the metric beats the best so far by the threshold: relatively ({@code best * (1 -/+ threshold)})
 * or absolutely ({@code best -/+ threshold}) for mode min/max. After a reduction, {@code cooldown}
 * epochs pass during which bad epochs are not counted. No lr goes below its group's
 * {@code min_lr}, and a reduction smaller than {@code eps} is skipped.
 * <pre>{@code ReduceLROnPlateau sched = ReduceLROnPlateau.with().factor(0.5).patience(2).build(opt);
 * ... sched.step(validationLoss);}</pre>
 * Like PyTorch 1.13's, it is not an {@link LRScheduler}: its step takes the metric.
 */
public final class ReduceLROnPlateau {
    public enum Mode { MIN, MAX }

    public enum ThresholdMode { REL, ABS }

    private static final String NAME = "ReduceLROnPlateau";

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;

    private int lastEpoch;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private double[] lastLr;

    public static Builder with() {
        return new Builder();
    }

    /** ReduceLROnPlateau's options, with PyTorch's defaults. */
    public static final class Builder {
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private int cooldown;
        private double[] minLr = {0};
        private double eps = 1e-8;

        private Builder() {
        }

        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** new lr = lr * factor; must be below 1. Default 0.1. */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Bad epochs tolerated before a reduction; default 10. */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder thresholdMode(ThresholdMode thresholdMode) {
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** Epochs after a reduction during which bad epochs are not counted; default 0. */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** The lower bound on the lr: one value for every group, or one per group. Default 0. */
        public Builder minLr(double... minLr) {
            this.minLr = minLr.clone();
            return this;
        }

        /** Reductions smaller than this are skipped; default 1e-8. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        public ReduceLROnPlateau build(Optimizer optimizer) {
            return new ReduceLROnPlateau(optimizer, this);
        }
    }

    private ReduceLROnPlateau(Optimizer optimizer, Builder b) {
        if (optimizer == null) throw new IllegalArgumentException(NAME + ": optimizer is null");
        if (!(b.factor < 1.0)) throw new IllegalArgumentException(NAME + ": factor should be < 1.0, got " + b.factor);
        Checks.finite(NAME, "factor", b.factor);
        Checks.finiteNonNegative(NAME, "threshold", b.threshold);
        Checks.finiteNonNegative(NAME, "eps", b.eps);
        for (int i = 0; i < b.minLr.length; i++) {
            Checks.finiteNonNegative(NAME, b.minLr.length == 1 ? "min_lr" : "min_lr[" + i + "]", b.minLr[i]);
        }
        if (b.mode == null) throw new IllegalArgumentException(NAME + ": mode is null");
        if (b.thresholdMode == null) throw new IllegalArgumentException(NAME + ": threshold_mode is null");
        if (b.patience < 0) throw new IllegalArgumentException(NAME + ": patience must be >= 0, got " + b.patience);
        if (b.cooldown < 0) throw new IllegalArgumentException(NAME + ": cooldown must be >= 0, got " + b.cooldown);
        int groups = optimizer.paramGroups().size();
        if (b.minLr.length != 1 && b.minLr.length != groups) {
            throw new IllegalArgumentException(NAME + ": expected " + groups + " min_lrs, got " + b.minLr.length);
        }
        this.optimizer = optimizer;
        this.mode = b.mode;
        this.factor = b.factor;
        this.patience = b.patience;
        this.threshold = b.threshold;
        this.thresholdMode = b.thresholdMode;
        this.cooldown = b.cooldown;
        this.minLrs = new double[groups];
        for (int i = 0; i < groups; i++) minLrs[i] = b.minLr[b.minLr.length == 1 ? 0 : i];
        this.eps = b.eps;
        this.best = worst();
        this.lastLr = currentLrs();
    }

    private double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Records one epoch's metric and reduces the lrs when it has stopped improving. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0; // bad epochs in cooldown do not count
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private boolean isBetter(double a) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? a < best * (1. - threshold) : a < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1.) : a > best + threshold;
        };
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double old = groups.get(i).lr();
            double lr = Math.max(old * factor, minLrs[i]);
            if (old - lr > eps) groups.get(i).setLr(lr);
        }
    }

    private double[] currentLrs() {
        return optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    /** The groups' lrs after the last step (before any step: those at construction). */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** The number of metrics seen. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The best metric so far (infinitely bad before the first step). */
    public double best() {
        return best;
    }

    public int numBadEpochs() {
        return numBadEpochs;
    }

    public boolean inCooldown() {
        return cooldownCounter > 0;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The state for a checkpoint: {@code scheduler}, {@code last_epoch}, {@code best},
     * {@code num_bad_epochs}, {@code cooldown_counter} and {@code last_lr.<g>}; numbers with
     * {@link Double#toString}. The options are the constructor's, not saved.
     */
    public Map<String, String> stateDict() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("scheduler", NAME);
        state.put("last_epoch", Integer.toString(lastEpoch));
        state.put("best", Double.toString(best));
        state.put("num_bad_epochs", Integer.toString(numBadEpochs));
        state.put("cooldown_counter", Integer.toString(cooldownCounter));
        for (int i = 0; i < lastLr.length; i++) state.put("last_lr." + i, Double.toString(lastLr[i]));
        return state;
    }

    public void loadStateDict(Map<String, String> state) {
        StateDicts.checkName(NAME, state);
        double[] last = StateDicts.perGroup(NAME, state, "last_lr", minLrs.length);
        int epoch = StateDicts.integer(NAME, state, "last_epoch");
        double savedBest = StateDicts.number(NAME, state, "best");
        int bad = StateDicts.integer(NAME, state, "num_bad_epochs");
        int cool = StateDicts.integer(NAME, state, "cooldown_counter");
        lastEpoch = epoch;
        best = savedBest;
        numBadEpochs = bad;
        cooldownCounter = cool;
        lastLr = last;
    }

    @Override
    public String toString() {
        return NAME + "(mode=" + mode + ", factor=" + factor + ", patience=" + patience + ", threshold="
                + threshold + " "
                + thresholdMode + ", cooldown=" + cooldown + ", min_lr=" + Arrays.toString(minLrs) + ", eps="
                + eps + ")";
    }
}

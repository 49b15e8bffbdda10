package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;
import dev.myelin.optim.ParamGroup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Multiplies the lr by factor when a metric has stopped improving for patience epochs
 * (torch.optim.lr_scheduler.ReduceLROnPlateau, with its defaults: min mode, factor 0.1,
 * patience 10, relative threshold 1e-4, no cooldown, min_lr 0, eps 1e-8).
 */
public final class ReduceLROnPlateau implements SchedulerState {
    private static final String NAME = "ReduceLROnPlateau";
    private final Optimizer optimizer;
    private final boolean maxMode, relative;
    private final double factor, threshold, minLr, eps;
    private final int patience, cooldown;
    private double best;
    private int numBadEpochs, cooldownCounter, lastEpoch;

    /** The settings; use {@code new ReduceLROnPlateau.Builder().factor(0.5).patience(2).build(opt)}. */
    public static final class Builder {
        private String mode = "min", thresholdMode = "rel";
        private double factor = 0.1, threshold = 1e-4, minLr = 0, eps = 1e-8;
        private int patience = 10, cooldown = 0;

        /** "min" (lower metric is better, e.g. a loss) or "max" (e.g. accuracy). */
        public Builder mode(String v) { mode = v; return this; }

        public Builder factor(double v) { factor = v; return this; }

        public Builder patience(int v) { patience = v; return this; }

        /** "rel" (dynamic threshold best * (1 -+ threshold)) or "abs" (best -+ threshold). */
        public Builder threshold(double v, String thresholdMode) { threshold = v; this.thresholdMode = thresholdMode; return this; }

        public Builder cooldown(int v) { cooldown = v; return this; }

        public Builder minLr(double v) { minLr = v; return this; }

        public Builder eps(double v) { eps = v; return this; }

        public ReduceLROnPlateau build(Optimizer optimizer) {
            return new ReduceLROnPlateau(optimizer, this);
        }
    }

    private ReduceLROnPlateau(Optimizer optimizer, Builder b) {
        if (b.factor >= 1.0) throw LRScheduler.invalid(NAME, "factor should be < 1.0, got " + b.factor);
        if (!b.mode.equals("min") && !b.mode.equals("max")) throw LRScheduler.invalid(NAME, "mode " + b.mode + " is unknown!");
        if (!b.thresholdMode.equals("rel") && !b.thresholdMode.equals("abs")) {
            throw LRScheduler.invalid(NAME, "threshold mode " + b.thresholdMode + " is unknown!");
        }
        this.optimizer = optimizer;
        this.maxMode = b.mode.equals("max");
        this.relative = b.thresholdMode.equals("rel");
        this.factor = b.factor;
        this.threshold = b.threshold;
        this.minLr = b.minLr;
        this.eps = b.eps;
        this.patience = b.patience;
        this.cooldown = b.cooldown;
        this.best = maxMode ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Records the epoch's metric and reduces the lrs when it has plateaued. */
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
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            for (ParamGroup g : optimizer.paramGroups()) {
                double newLr = Math.max(g.lr() * factor, minLr);
                if (g.lr() - newLr > eps) g.setLr(newLr);
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(double a) {
        if (maxMode) return relative ? a > best * (threshold + 1) : a > best + threshold;
        return relative ? a < best * (1 - threshold) : a < best - threshold;
    }

    @Override
    public double[] lastLr() {
        return optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
    }

    @Override
    public Map<String, String> stateDict() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("scheduler", NAME);
        s.put("best", Double.toString(best));
        s.put("num_bad_epochs", Integer.toString(numBadEpochs));
        s.put("cooldown_counter", Integer.toString(cooldownCounter));
        s.put("last_epoch", Integer.toString(lastEpoch));
        return s;
    }

    @Override
    public void loadStateDict(Map<String, String> state) {
        SchedulerStates.requireKind(NAME, state);
        best = Double.parseDouble(state.get("best"));
        numBadEpochs = Integer.parseInt(state.get("num_bad_epochs"));
        cooldownCounter = Integer.parseInt(state.get("cooldown_counter"));
        lastEpoch = Integer.parseInt(state.get("last_epoch"));
    }
}

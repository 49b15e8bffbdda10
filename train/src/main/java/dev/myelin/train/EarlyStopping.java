package dev.myelin.train;

import java.util.Map;

/**
 * Stops training when a monitored validation metric has not improved by more than
 * {@code minDelta} for {@code patience} epochs (Keras/Lightning semantics).
 */
public final class EarlyStopping {
    /** What to watch: validation loss (lower is better) or validation accuracy (higher is better). */
    public enum Monitor { VAL_LOSS, VAL_ACCURACY }

    private final Monitor monitor;
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private int badEpochs;

    public EarlyStopping(Monitor monitor, int patience, double minDelta) {
        if (patience < 0) throw new IllegalArgumentException("early_stopping: patience must be >= 0, got " + patience);
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("early_stopping: min_delta must be >= 0, got " + minDelta);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /**
     * Records an epoch; true when training should stop after it. A NaN validation loss is an
     * IllegalStateException (nothing to compare; the model or loss is not finite on the validation
     * data), as is a NaN validation accuracy (the outputs are not class scores). The trainer
     * refuses to start without validation data when early stopping is on.
     */
    boolean update(EpochMetrics m) {
        double value = monitor == Monitor.VAL_LOSS ? m.valLoss() : m.valAccuracy();
        if (Double.isNaN(value)) {
            throw new IllegalStateException(monitor == Monitor.VAL_LOSS
                    ? "early_stopping: the validation loss is NaN at epoch " + m.epoch() + " (best so far " + best
                            + "): the model's outputs or the loss are not finite on the validation data"
                    : "early_stopping: the validation accuracy is NaN at epoch " + m.epoch()
                            + ": accuracy needs class scores "
                            + "[N, C] and integer labels [N]; monitor VAL_LOSS for other outputs");
        }
        boolean improved = Double.isNaN(best)
                || (monitor == Monitor.VAL_LOSS ? value < best - minDelta : value > best + minDelta);
        if (improved) {
            best = value;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        return stopped();
    }

    /** True once the monitored metric has not improved for more than {@code patience} epochs. */
    boolean stopped() {
        return badEpochs > patience;
    }

    public Monitor monitor() {
        return monitor;
    }

    /** The best value seen so far (NaN before the first epoch). */
    public double best() {
        return best;
    }

    Map<String, String> state() {
        return Map.of("monitor", monitor.name(), "best", Double.toString(best),
                "bad_epochs", Integer.toString(badEpochs));
    }

    /** Restores {@link #state()}; checks everything first, so a refused state changes nothing. */
    void load(Map<String, String> state) {
        String saved = state.get("monitor");
        if (saved != null && !saved.equals(monitor.name())) {
            throw new IllegalArgumentException("early_stopping: the saved state monitored " + saved
                    + ", this one monitors " + monitor);
        }
        String b = state.get("best"), bad = state.get("bad_epochs");
        if (b == null || bad == null) {
            throw new IllegalArgumentException("early_stopping: saved state lacks best or bad_epochs: " + state);
        }
        double newBest = Double.parseDouble(b);
        int newBad = Integer.parseInt(bad);
        best = newBest;
        badEpochs = newBad;
    }
}

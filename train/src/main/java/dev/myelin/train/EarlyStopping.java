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
        if (!(minDelta >= 0)) throw new IllegalArgumentException("early_stopping: min_delta must be >= 0, got " + minDelta);
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Records an epoch; true when training should stop after it. */
    boolean update(EpochMetrics m) {
        double value = monitor == Monitor.VAL_LOSS ? m.valLoss() : m.valAccuracy();
        if (Double.isNaN(value)) {
            throw new IllegalStateException("early_stopping: monitors " + monitor + " but the epoch has no validation metrics; "
                    + "give the trainer validation data");
        }
        boolean improved = Double.isNaN(best) || (monitor == Monitor.VAL_LOSS ? value < best - minDelta : value > best + minDelta);
        if (improved) {
            best = value;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        return badEpochs > patience;
    }

    /** The best value seen so far (NaN before the first epoch). */
    public double best() {
        return best;
    }

    Map<String, String> state() {
        return Map.of("best", Double.toString(best), "bad_epochs", Integer.toString(badEpochs));
    }

    void load(Map<String, String> state) {
        best = Double.parseDouble(state.get("best"));
        badEpochs = Integer.parseInt(state.get("bad_epochs"));
    }
}

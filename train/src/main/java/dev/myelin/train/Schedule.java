package dev.myelin.train;

import java.util.Map;

/**
 * How the trainer drives a learning-rate schedule: after each optimizer step, after each epoch
 * (with its metrics, for reduce-on-plateau), and how the schedule's state enters checkpoints.
 */
public interface Schedule {
    /** Called after every optimizer step. */
    default void afterBatch() {
    }

    /** Called after every epoch with its metrics. */
    default void afterEpoch(EpochMetrics metrics) {
    }

    /**
     * True when {@link #afterEpoch} needs the validation metrics: the trainer then refuses to fit without validation
     * data.
     */
    default boolean needsValidation() {
        return false;
    }

    Map<String, String> state();

    void load(Map<String, String> state);
}

package dev.myelin.train;

import dev.myelin.optim.lr.LRScheduler;
import dev.myelin.optim.lr.ReduceLROnPlateau;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Connects the optim.lr schedules to the {@link Trainer}: when each is stepped. */
public final class Schedules {
    private Schedules() {
    }

    /** A schedule whose checkpoint state is its scheduler's state dict. */
    private abstract static class Stateful implements Schedule {
        private final Supplier<Map<String, String>> save;
        private final Consumer<Map<String, String>> load;

        Stateful(Supplier<Map<String, String>> save, Consumer<Map<String, String>> load) {
            this.save = save;
            this.load = load;
        }

        @Override
        public Map<String, String> state() {
            return save.get();
        }

        @Override
        public void load(Map<String, String> state) {
            load.accept(state);
        }
    }

    /** Steps {@code s} after every epoch (step, cosine, exponential, warmup, ...). */
    public static Schedule perEpoch(LRScheduler s) {
        return new Stateful(s::stateDict, s::loadStateDict) {
            @Override
            public void afterEpoch(EpochMetrics metrics) {
                s.step();
            }
        };
    }

    /** Steps {@code s} after every optimizer step (one-cycle, or any schedule counted in batches). */
    public static Schedule perBatch(LRScheduler s) {
        return new Stateful(s::stateDict, s::loadStateDict) {
            @Override
            public void afterBatch() {
                s.step();
            }
        };
    }

    /**
     * Steps {@code s} after every epoch with the validation loss (its mode should be "min"); the
     * trainer then needs validation data, and a NaN validation loss stops training.
     */
    public static Schedule onValidationLoss(ReduceLROnPlateau s) {
        return new Stateful(s::stateDict, s::loadStateDict) {
            @Override
            public boolean needsValidation() {
                return true;
            }

            @Override
            public void afterEpoch(EpochMetrics metrics) {
                if (Double.isNaN(metrics.valLoss())) {
                    throw new IllegalStateException("reduce_on_plateau: the validation loss is NaN at epoch "
                            + metrics.epoch()
                            + ": the model's outputs or the loss are not finite on the validation data");
                }
                s.step(metrics.valLoss());
            }
        };
    }
}

package dev.myelin.train;

import dev.myelin.optim.lr.ReduceLROnPlateau;
import dev.myelin.optim.lr.Scheduler;
import dev.myelin.optim.lr.SchedulerState;

import java.util.Map;

/** Connects the optim.lr schedules to the {@link Trainer}: when each is stepped. */
public final class Schedules {
    private Schedules() {
    }

    /** A schedule whose checkpoint state is its scheduler's state dict. */
    private abstract static class Stateful implements Schedule {
        private final SchedulerState scheduler;

        Stateful(SchedulerState scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public Map<String, String> state() {
            return scheduler.stateDict();
        }

        @Override
        public void load(Map<String, String> state) {
            scheduler.loadStateDict(state);
        }
    }

    /** Steps {@code s} after every epoch (step, cosine, exponential, warmup, ...). */
    public static Schedule perEpoch(Scheduler s) {
        return new Stateful(s) {
            @Override
            public void afterEpoch(EpochMetrics metrics) {
                s.step();
            }
        };
    }

    /** Steps {@code s} after every optimizer step (one-cycle, or any schedule counted in batches). */
    public static Schedule perBatch(Scheduler s) {
        return new Stateful(s) {
            @Override
            public void afterBatch() {
                s.step();
            }
        };
    }

    /** Steps {@code s} after every epoch with the validation loss (its mode should be "min"). */
    public static Schedule onValidationLoss(ReduceLROnPlateau s) {
        return new Stateful(s) {
            @Override
            public void afterEpoch(EpochMetrics metrics) {
                if (Double.isNaN(metrics.valLoss())) {
                    throw new IllegalStateException("reduce_on_plateau: needs the validation loss; give the trainer validation data");
                }
                s.step(metrics.valLoss());
            }
        };
    }
}

package dev.myelin.optim.lr;

/** A schedule stepped without arguments, once per epoch (or per batch for one-cycle). */
public interface Scheduler extends SchedulerState {
    /** Advances one epoch and sets the new learning rates on the optimizer's groups. */
    void step();
}

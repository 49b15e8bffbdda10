package dev.myelin.optim.lr;

import java.util.Map;

/** What every learning-rate schedule offers: the lrs it set last and a state for checkpoints. */
public interface SchedulerState {
    /** The learning rate of each parameter group after the last step (PyTorch's get_last_lr()). */
    double[] lastLr();

    /** The schedule's position and counters as strings (numbers via Double.toString read back exactly). */
    Map<String, String> stateDict();

    /** Restores a state saved by {@link #stateDict()} from a schedule of the same kind and settings. */
    void loadStateDict(Map<String, String> state);
}

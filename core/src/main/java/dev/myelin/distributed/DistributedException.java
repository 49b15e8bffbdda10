package dev.myelin.distributed;

/**
 * A collective failed or timed out, a rank died, or the ranks disagree (different models, world sizes).
 * The message names this process's rank and, where known, the rank at fault.
 */
public class DistributedException extends RuntimeException {
    public DistributedException(String message) {
        super(message);
    }

    public DistributedException(String message, Throwable cause) {
        super(message, cause);
    }
}

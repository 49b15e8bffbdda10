package dev.myelin.data;

/** A failure while preparing batches on the loader thread; the cause is the original exception. */
public final class DataLoaderException extends RuntimeException {
    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.myelin.cuda.runtime;

/**
 * The device has no room for an allocation even after the cache was emptied. The process, the
 * device context and every tensor allocated before stay usable: free tensors (close a scope) or
 * use smaller batches and try again.
 */
public class CudaOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long requestedBytes;

    public CudaOutOfMemoryException(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    public long requestedBytes() {
        return requestedBytes;
    }
}

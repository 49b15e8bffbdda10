package dev.myelin.cuda.runtime;

/** Raw device memory as the caching allocator sees it; the driver in production, a fake in tests. */
interface DeviceMemory {
    /** A new block's device address, or 0 when the device is out of memory (other failures throw). */
    long allocate(long bytes);

    void free(long address);

    /** Waits until queued work is done, before cached blocks that it may still read are freed. */
    default void synchronize() {}

    /** Total memory of the device in bytes. */
    long totalBytes();

    /** Memory the driver reports free now, in bytes. */
    long freeBytes();
}

package dev.myelin.cuda.runtime;

/**
 * The block sizes the caching allocator hands out: requests are rounded up to a multiple of 512
 * bytes (the allocation granularity that keeps every block aligned for any dtype and for
 * vectorised loads) and, above 1 MiB, to a quarter step between powers of two (1, 1.25, 1.5, 1.75
 * times 2^k), so that a few sizes serve many similar requests while wasting at most 25%.
 */
final class SizeClasses {
    static final long MIN_BLOCK = 512;
    static final long SMALL_LIMIT = 1L << 20;

    private SizeClasses() {}

    static long roundUp(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("cuda: negative allocation size " + bytes);
        if (bytes <= MIN_BLOCK) return MIN_BLOCK;
        if (bytes <= SMALL_LIMIT) return (bytes + MIN_BLOCK - 1) / MIN_BLOCK * MIN_BLOCK;
        long pow = Long.highestOneBit(bytes);
        if (pow == bytes) return bytes;
        long quarter = pow / 4;
        return (bytes + quarter - 1) / quarter * quarter;
    }
}

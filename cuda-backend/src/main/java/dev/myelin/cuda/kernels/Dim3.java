package dev.myelin.cuda.kernels;

/**
 * A kernel's grid or block size, as CUDA's dim3. Every extent is at least 1.
 *
 * <p>Internal: not part of the API.
 */
public record Dim3(int x, int y, int z) {
    public Dim3 {
        if (x < 1 || y < 1 || z < 1) {
            throw new IllegalArgumentException("cuda: grid and block extents must be >= 1, got (" + x + ", " + y + ", "
                    + z + ")");
        }
    }

    public static Dim3 of(int x) {
        return new Dim3(x, 1, 1);
    }

    public static Dim3 of(int x, int y) {
        return new Dim3(x, y, 1);
    }

    public static Dim3 of(int x, int y, int z) {
        return new Dim3(x, y, z);
    }

    /** ceil(n / threadsPerBlock) blocks (at least 1), for a 1-D launch over n elements. */
    public static Dim3 blocksFor(long n, int threadsPerBlock) {
        long blocks = Math.max(1, (n + threadsPerBlock - 1) / threadsPerBlock);
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cuda: " + n + " elements need " + blocks + " blocks of "
                    + threadsPerBlock + ", more than a 1-D grid holds; use a grid-stride loop");
        }
        return of((int) blocks);
    }
}

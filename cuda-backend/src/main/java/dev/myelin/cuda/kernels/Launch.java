package dev.myelin.cuda.kernels;


/**
 * Launch configurations. Every kernel runs blocks of {@link #BLOCK} threads (common.cuh's
 * MYELIN_BLOCK; the block-wide reductions size their shared memory for it) and loops over its work
 * with a grid stride, so a grid only needs to be large enough to fill the GPU: it is capped at
 * {@link #MAX_BLOCKS}. Results never depend on the grid size.
 *
 * <p>Internal: not part of the API.
 */
public final class Launch {
    public static final int BLOCK = 256;
    public static final int WARP = 32;
    /** 2^16 blocks of 256 threads: enough to fill any current GPU several times over. */
    public static final int MAX_BLOCKS = 1 << 16;

    private Launch() {}

    public static Dim3 block() {
        return Dim3.of(BLOCK);
    }

    /** Blocks for one thread per item (at least 1). */
    public static Dim3 threads(long items) {
        return Dim3.of((int) Math.max(1, Math.min(MAX_BLOCKS, (items + BLOCK - 1) / BLOCK)));
    }

    /** Blocks for one group of {@code lanes} threads (a warp, or the whole block) per item. */
    public static Dim3 groups(long items, int lanes) {
        long perBlock = BLOCK / lanes;
        return Dim3.of((int) Math.max(1, Math.min(MAX_BLOCKS, (items + perBlock - 1) / perBlock)));
    }
}

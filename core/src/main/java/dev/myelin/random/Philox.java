package dev.myelin.random;

/**
 * Philox 4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11): a
 * counter-based generator, so the j-th number of a stream is a pure function of (seed, counter)
 * and every backend draws the same numbers in any order or thread. This class is the reference
 * every backend's dropout and initializer must agree with.
 *
 * <p>Stream layout: number j of a draw that starts at counter {@code offset} comes from lane
 * {@code j % 4} of the block for the 128-bit counter {@code offset + j / 4} (low 64 bits in words 0
 * and 1, words 2 and 3 zero), keyed by the seed's low and high 32-bit words.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    /** 2^-24: uniform floats keep the top 24 bits, so 1.0 is never produced. */
    public static final float UNIT = 0x1.0p-24f;

    private Philox() {}

    /** Fills out[0..3] with the block for a 64-bit counter. */
    public static void block(long seed, long counter, int[] out) {
        int c0 = (int) counter, c1 = (int) (counter >>> 32), c2 = 0, c3 = 0;
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** A 32-bit word as a uniform float in [0, 1). */
    public static float toUniform(int bits) {
        return (bits >>> 8) * UNIT;
    }

    /** Number j of the stream (seed, offset) as a uniform float in [0, 1). Slow: for tests and references. */
    public static float uniform(long seed, long offset, long j) {
        int[] out = new int[4];
        block(seed, offset + (j >>> 2), out);
        return toUniform(out[(int) (j & 3)]);
    }

    /** How many counters a draw of n numbers consumes. */
    public static long countersFor(long n) {
        return (n + 3) >>> 2;
    }
}

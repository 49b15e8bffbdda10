package dev.myelin.cpu;

import dev.myelin.random.Philox;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The keep decisions in lanes ({@link PhiloxLanes}) against the reference generator, draw by draw. */
class DropoutDrawsTest {
    @Test
    void laneBlocksAreTheReferenceBlocks() {
        SplittableRandom random = new SplittableRandom(5);
        long[] words = new long[4 * PhiloxLanes.COUNTERS];
        int[] block = new int[4];
        // Counters whose low word wraps inside a group, and seeds with both halves set.
        long[] firsts = {0, 1, 0xFFFFFFFFL - 2, 0x7FFFFFFFFFFFFFFFL - 3, random.nextLong()};
        for (long first : firsts) {
            long seed = random.nextLong();
            PhiloxLanes.blocks(seed, first, words);
            for (int i = 0; i < PhiloxLanes.COUNTERS; i++) {
                Philox.block(seed, first + i, block);
                for (int w = 0; w < 4; w++) {
                    assertEquals(block[w] & 0xFFFFFFFFL, words[w * PhiloxLanes.COUNTERS + i],
                            "seed " + seed + ", counter " + (first + i) + ", word " + w);
                }
            }
        }
    }

    @Test
    void fillDecidesAsTheReferenceUniformForAnyStartAndLength() {
        SplittableRandom random = new SplittableRandom(11);
        boolean[] keep = new boolean[700];
        for (int trial = 0; trial < 200; trial++) {
            long seed = random.nextLong(), offset = trial % 3 == 0 ? 0xFFFFFFFFL - random.nextInt(40)
                    : random.nextLong(1L << 40);
            double p = trial == 0 ? 0 : random.nextDouble();
            long first = random.nextInt(1000);
            int count = random.nextInt(keep.length + 1);
            new DropoutDraws(seed, offset, p).fill(first, count, keep);
            for (int k = 0; k < count; k++) {
                boolean expected = Philox.uniform(seed, offset, first + k) >= p;
                assertEquals(expected, keep[k],
                        "trial " + trial + ": draw " + (first + k) + " of (" + seed + ", " + offset + ") at p " + p);
            }
        }
    }
}

package dev.myelin.cpu;

import dev.myelin.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * A contiguous float32 operand of a fused optimizer kernel: its backing array and start offset,
 * with lane loads and stores. A null mask means a full vector; the last, partial vector of a
 * range is masked so that each kernel writes its arithmetic once.
 */
record OptimF32(float[] a, int off) {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    /** The operand of a contiguous tensor, or null for a null tensor (an absent state). */
    static OptimF32 of(Tensor t) {
        return t == null ? null : new OptimF32(CpuStorage.f32(t), CpuStorage.off(t));
    }

    FloatVector load(int i, VectorMask<Float> m) {
        return m == null ? FloatVector.fromArray(SPECIES, a, off + i) : FloatVector.fromArray(SPECIES, a, off + i, m);
    }

    void store(FloatVector v, int i, VectorMask<Float> m) {
        if (m == null) v.intoArray(a, off + i);
        else v.intoArray(a, off + i, m);
    }

    /** End of the full vectors of [from, to). */
    static int fullEnd(int from, int to) {
        return from + SPECIES.loopBound(to - from);
    }

    /** The mask of the last, partial vector starting at i. */
    static VectorMask<Float> tail(int i, int to) {
        return SPECIES.indexInRange(i, to);
    }
}

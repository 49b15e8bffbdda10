package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;

/**
 * Sums of a vector's lanes in a fixed order (lane 0 first). {@code reduceLanes(ADD)} leaves the
 * order to the implementation, and the interpreter, C1 and C2 do use different orders, so the
 * same kernel could round differently before and after it is compiled — and, with the work split
 * dynamically between threads, differently from run to run. A seed must give the same run.
 */
final class LaneSums {
    private LaneSums() {}

    static float sum(FloatVector v) {
        return sum(v, new float[v.length()]);
    }

    /** The same sum through a caller's scratch array (at least a vector long), for hot loops: no allocation. */
    static float sum(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        float s = scratch[0];
        for (int i = 1; i < v.length(); i++) s += scratch[i];
        return s;
    }
}

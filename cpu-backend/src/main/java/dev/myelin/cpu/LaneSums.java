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
        float[] lanes = v.toArray();
        float s = lanes[0];
        for (int i = 1; i < lanes.length; i++) s += lanes[i];
        return s;
    }
}

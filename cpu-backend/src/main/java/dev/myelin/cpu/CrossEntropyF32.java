package dev.myelin.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 cross-entropy over rows of adjacent class scores ([N, C] logits, the training case),
 * vectorized over classes with the Vector API (masked tail) and parallel over rows. Per-row
 * sums are taken in float lanes and finished in double.
 */
final class CrossEntropyF32 {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int L = SP.length();

    private CrossEntropyF32() {}

    static void forward(float[] x, CrossEntropyLayout geo, int[] cls, double[] w, double ls,
                        LossOperand loss, LossOperand sampleWeight) {
        int classes = geo.classes();
        float[] wf = toFloats(w);
        double sumW = LossClassTargets.sum(w, classes);
        Parallel.forRange(geo.n(), 4L * classes, (start, end) -> {
            for (int r = start; r < end; r++) {
                int y = cls[r];
                if (y == LossClassTargets.IGNORED) {
                    loss.set(r, 0);
                    sampleWeight.set(r, 0);
                    continue;
                }
                int base = geo.off() + r * geo.batchStride();
                float max = max(x, base, classes);
                double logSum = Math.log(sumExp(x, base, classes, max));
                double wy = w == null ? 1 : w[y];
                double value = wy * (logSum - (x[base + y] - max));
                if (ls > 0) {
                    double smooth = sumW * logSum + weightedGap(x, base, classes, max, wf);
                    value = (1 - ls) * value + ls / classes * smooth;
                }
                loss.set(r, value);
                sampleWeight.set(r, wy);
            }
        });
    }

    static void backward(float[] x, CrossEntropyLayout geo, int[] cls, double[] w, double ls,
                         LossOperand gradLoss, float[] gx, int gxOff) {
        int classes = geo.classes();
        float[] wf = toFloats(w);
        double sumW = LossClassTargets.sum(w, classes);
        Parallel.forRange(geo.n(), 6L * classes, (start, end) -> {
            for (int r = start; r < end; r++) {
                int out = gxOff + r * classes, y = cls[r];
                if (y == LossClassTargets.IGNORED) {
                    java.util.Arrays.fill(gx, out, out + classes, 0f);
                    continue;
                }
                int base = geo.off() + r * geo.batchStride();
                float max = max(x, base, classes);
                float logSum = (float) Math.log(sumExp(x, base, classes, max));
                double gi = gradLoss.get(r), wy = w == null ? 1 : w[y];
                float a = (float) (gi * ((1 - ls) * wy + ls / classes * sumW)), b = (float) (gi * ls / classes);
                writeGrad(x, base, classes, max, logSum, a, b, wf, gx, out);
                gx[out + y] -= (float) (gi * (1 - ls) * wy);
            }
        });
    }

    /** gx_c = a * p_c - b * w_c (w_c = 1 without weights), p_c = exp(x_c - max - logSum). */
    private static void writeGrad(float[] x, int base, int classes, float max, float logSum, float a, float b,
                                  float[] wf, float[] gx, int out) {
        FloatVector maxV = FloatVector.broadcast(SP, max), logV = FloatVector.broadcast(SP, logSum);
        FloatVector aV = FloatVector.broadcast(SP, a), negB = FloatVector.broadcast(SP, -b);
        int bound = SP.loopBound(classes), i = 0;
        for (; i < bound; i += L) {
            FloatVector p = VecMath.exp(FloatVector.fromArray(SP, x, base + i).sub(maxV).sub(logV));
            FloatVector shift = wf == null ? negB : FloatVector.fromArray(SP, wf, i).mul(negB);
            p.fma(aV, shift).intoArray(gx, out + i);
        }
        if (i < classes) {
            VectorMask<Float> k = SP.indexInRange(i, classes);
            FloatVector p = VecMath.exp(FloatVector.fromArray(SP, x, base + i, k).sub(maxV).sub(logV));
            FloatVector shift = wf == null ? negB : FloatVector.fromArray(SP, wf, i, k).mul(negB);
            p.fma(aV, shift).intoArray(gx, out + i, k);
        }
    }

    private static float max(float[] x, int base, int classes) {
        FloatVector m = FloatVector.broadcast(SP, Float.NEGATIVE_INFINITY);
        int bound = SP.loopBound(classes), i = 0;
        for (; i < bound; i += L) m = m.max(FloatVector.fromArray(SP, x, base + i));
        if (i < classes) {
            VectorMask<Float> k = SP.indexInRange(i, classes);
            m = m.lanewise(VectorOperators.MAX, FloatVector.fromArray(SP, x, base + i, k), k);
        }
        return m.reduceLanes(VectorOperators.MAX);
    }

    /** sum_c exp(x_c - max). */
    private static double sumExp(float[] x, int base, int classes, float max) {
        FloatVector acc = FloatVector.zero(SP), maxV = FloatVector.broadcast(SP, max);
        int bound = SP.loopBound(classes), i = 0;
        for (; i < bound; i += L) acc = acc.add(VecMath.exp(FloatVector.fromArray(SP, x, base + i).sub(maxV)));
        if (i < classes) {
            VectorMask<Float> k = SP.indexInRange(i, classes);
            acc = acc.add(VecMath.exp(FloatVector.fromArray(SP, x, base + i, k).sub(maxV)), k);
        }
        return LaneSums.sum(acc);
    }

    /** sum_c w_c * (max - x_c), each term non-negative. */
    private static double weightedGap(float[] x, int base, int classes, float max, float[] wf) {
        FloatVector acc = FloatVector.zero(SP), maxV = FloatVector.broadcast(SP, max);
        int bound = SP.loopBound(classes), i = 0;
        for (; i < bound; i += L) {
            FloatVector gap = maxV.sub(FloatVector.fromArray(SP, x, base + i));
            acc = wf == null ? acc.add(gap) : gap.fma(FloatVector.fromArray(SP, wf, i), acc);
        }
        if (i < classes) {
            VectorMask<Float> k = SP.indexInRange(i, classes);
            FloatVector gap = maxV.sub(FloatVector.fromArray(SP, x, base + i, k));
            if (wf != null) gap = gap.mul(FloatVector.fromArray(SP, wf, i, k));
            acc = acc.add(gap, k);
        }
        return LaneSums.sum(acc);
    }

    private static float[] toFloats(double[] w) {
        if (w == null) return null;
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) f[i] = (float) w[i];
        return f;
    }
}

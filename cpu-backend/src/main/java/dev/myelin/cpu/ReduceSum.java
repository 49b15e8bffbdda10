package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sum over any set of dimensions of a contiguous float tensor, without index arrays: adjacent
 * dimensions that are all reduced or all kept are merged into groups, and the innermost group is
 * walked as a contiguous run — summed with vectors into one output (a reduced run) or added into a
 * run of outputs (a kept run, as in a bias gradient). Partial sums are kept in double.
 */
final class ReduceSum {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private ReduceSum() {}

    static boolean applies(Tensor x) {
        return x.dtype() == DType.FLOAT32 || x.dtype() == DType.FLOAT64;
    }

    /** out (keepdim layout) = sum of x over the dims where out has size 1; divided by count if mean. */
    static void sum(Tensor x, Tensor out, boolean mean) {
        int[] xs = x.shape(), os = out.shape();
        int[] sizes = new int[xs.length];
        boolean[] reduced = new boolean[xs.length];
        int groups = 0;
        for (int d = 0; d < xs.length; d++) {
            if (xs[d] == 1) continue;
            boolean r = os[d] == 1;
            if (groups > 0 && reduced[groups - 1] == r) {
                sizes[groups - 1] *= xs[d];
            } else {
                sizes[groups] = xs[d];
                reduced[groups++] = r;
            }
        }
        int outN = Math.toIntExact(out.numel());
        double[] acc = new double[outN];
        Object data = Strided.array(x);
        if (groups == 0) {
            acc[0] = Strided.get(data, CpuStorage.off(x));
        } else {
            walk(data, CpuStorage.off(x), sizes, reduced, groups, 0, acc, 0);
        }
        long count = x.numel() / Math.max(1, outN);
        Object o = Strided.array(out);
        int oo = CpuStorage.off(out);
        for (int i = 0; i < outN; i++) Strided.set(o, oo + i, mean ? acc[i] / count : acc[i]);
    }

    /** Visits group g starting at x offset xo and output index oi; returns nothing, accumulates. */
    private static void walk(Object data, int xo, int[] sizes, boolean[] reduced, int groups, int g,
                             double[] acc, int oi) {
        int inner = 1, outInner = 1;
        for (int k = g + 1; k < groups; k++) {
            inner *= sizes[k];
            if (!reduced[k]) outInner *= sizes[k];
        }
        if (g == groups - 1) {
            if (reduced[g]) acc[oi] += runSum(data, xo, sizes[g]);
            else addRun(data, xo, sizes[g], acc, oi);
            return;
        }
        for (int i = 0; i < sizes[g]; i++) {
            walk(data, xo + i * inner, sizes, reduced, groups, g + 1, acc, reduced[g] ? oi : oi + i * outInner);
        }
    }

    private static double runSum(Object data, int start, int n) {
        if (data instanceof float[] f) {
            // Kahan-compensated lanes: float32 sums of millions of elements stay accurate.
            FloatVector sum = FloatVector.zero(S), carry = FloatVector.zero(S);
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += S.length()) {
                FloatVector y = FloatVector.fromArray(S, f, start + i).sub(carry);
                FloatVector t = sum.add(y);
                carry = t.sub(sum).sub(y);
                sum = t;
            }
            double total = 0;
            for (int lane = 0; lane < S.length(); lane++) total += (double) sum.lane(lane) - carry.lane(lane);
            for (; i < n; i++) total += f[start + i];
            return total;
        }
        double[] d = (double[]) data;
        double total = 0;
        for (int i = 0; i < n; i++) total += d[start + i];
        return total;
    }

    private static void addRun(Object data, int start, int n, double[] acc, int oi) {
        if (data instanceof float[] f) {
            for (int i = 0; i < n; i++) acc[oi + i] += f[start + i];
        } else {
            double[] d = (double[]) data;
            for (int i = 0; i < n; i++) acc[oi + i] += d[start + i];
        }
    }
}

package dev.myelin.cpu;

import dev.myelin.Tensor;
import dev.myelin.backend.Reductions;

/** CPU kernels of the Reductions family. Accumulates in double. */
final class CpuReductions implements Reductions {
    @Override
    public void reduce(Op op, Tensor x, Tensor out) {
        if ((op == Op.SUM || op == Op.MEAN) && ReduceSum.applies(x) && x.numel() > 0) {
            ReduceSum.sum(x, out, op == Op.MEAN);
            return;
        }
        Object xs = Strided.array(x), o = Strided.array(out);
        int outN = Math.toIntExact(out.numel());
        double[] acc = new double[outN];
        long[] count = new long[outN];
        java.util.Arrays.fill(acc, op == Op.MAX ? Double.NEGATIVE_INFINITY : op == Op.MIN ? Double.POSITIVE_INFINITY : 0);
        int[] target = targets(x, out);
        int xo = CpuStorage.off(x);
        for (int i = 0; i < target.length; i++) {
            double v = Strided.get(xs, xo + i);
            int t = target[i];
            count[t]++;
            acc[t] = switch (op) {
                case SUM, MEAN -> acc[t] + v;
                case MAX -> (Double.isNaN(v) || v > acc[t]) ? v : acc[t];
                case MIN -> (Double.isNaN(v) || v < acc[t]) ? v : acc[t];
            };
        }
        int oo = CpuStorage.off(out);
        for (int t = 0; t < outN; t++) Strided.set(o, oo + t, op == Op.MEAN ? acc[t] / count[t] : acc[t]);
    }

    @Override
    public void variance(Tensor x, int correction, Tensor out) {
        Object xs = Strided.array(x), o = Strided.array(out);
        int outN = Math.toIntExact(out.numel());
        double[] sum = new double[outN], sq = new double[outN];
        long[] count = new long[outN];
        int[] target = targets(x, out);
        int xo = CpuStorage.off(x);
        for (int i = 0; i < target.length; i++) {
            sum[target[i]] += Strided.get(xs, xo + i);
            count[target[i]]++;
        }
        for (int i = 0; i < target.length; i++) {
            int t = target[i];
            double d = Strided.get(xs, xo + i) - sum[t] / count[t];
            sq[t] += d * d;
        }
        int oo = CpuStorage.off(out);
        for (int t = 0; t < outN; t++) Strided.set(o, oo + t, sq[t] / Math.max(0, count[t] - correction));
    }

    @Override
    public void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        Object xs = Strided.array(x);
        long[] o = CpuStorage.i64(out);
        int[] shape = x.shape();
        int rank = shape.length;
        int n = rank == 0 ? 1 : shape[dim];
        long inner = 1;
        for (int d = dim + 1; d < rank; d++) inner *= shape[d];
        long outer = x.numel() / Math.max(1, (long) n * inner);
        int xo = CpuStorage.off(x), oo = CpuStorage.off(out);
        for (long a = 0; a < outer; a++) {
            for (long b = 0; b < inner; b++) {
                int base = (int) (xo + a * n * inner + b);
                int best = 0;
                double bestV = Strided.get(xs, base);
                for (int k = 1; k < n && !Double.isNaN(bestV); k++) {
                    double v = Strided.get(xs, (int) (base + k * inner));
                    if (Double.isNaN(v) || (max ? v > bestV : v < bestV)) {
                        best = k;
                        bestV = v;
                    }
                }
                o[(int) (oo + a * inner + b)] = best;
            }
        }
    }

    /** For each element of contiguous x, the index of the out element it reduces into. */
    private static int[] targets(Tensor x, Tensor out) {
        int[] xs = x.shape(), os = out.shape();
        long[] outStrides = dev.myelin.Shape.contiguousStrides(os);
        long[] mapped = new long[xs.length];
        for (int d = 0; d < xs.length; d++) mapped[d] = os[d] == 1 ? 0 : outStrides[d];
        Tensor view = out.viewOf(0, xs, mapped);
        int[] idx = Strided.indices(view);
        view.close();
        return idx;
    }
}

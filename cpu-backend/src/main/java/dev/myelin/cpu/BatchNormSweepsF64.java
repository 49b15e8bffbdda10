package dev.myelin.cpu;

import dev.myelin.Tensor;

/** Float64 batch-norm passes: plain loops, parallel over channels (reduce) or segments (map). */
final class BatchNormSweepsF64 implements BatchNormSweeps {
    static final BatchNormSweepsF64 INSTANCE = new BatchNormSweepsF64();

    private BatchNormSweepsF64() {}

    @Override
    public void reduce(BatchNormDims d, Tensor u, double[] mu, Tensor x, double[] m, double[] s1, double[] s2) {
        double[] ua = CpuStorage.f64(u), xa = CpuStorage.f64(x);
        int uo = CpuStorage.off(u), xo = CpuStorage.off(x);
        int n = d.n(), c = d.c(), s = d.s();
        Parallel.forRange(c, d.count(), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double t1 = 0, t2 = 0;
                for (int i = 0; i < n; i++) {
                    int seg = (i * c + ch) * s;
                    for (int j = seg; j < seg + s; j++) {
                        double du = ua[uo + j] - mu[ch];
                        t1 += du;
                        t2 += du * (xa[xo + j] - m[ch]);
                    }
                }
                s1[ch] += t1;
                s2[ch] += t2;
            }
        });
    }

    @Override
    public double representable(double v) {
        return v;
    }

    @Override
    public void map(BatchNormDims d, Tensor x, double[] m, double[] a, double[] b, Tensor g, double[] k, Tensor out) {
        double[] xa = CpuStorage.f64(x), oa = CpuStorage.f64(out), ga = g == null ? null : CpuStorage.f64(g);
        int xo = CpuStorage.off(x), oo = CpuStorage.off(out), go = g == null ? 0 : CpuStorage.off(g);
        int c = d.c(), s = d.s();
        Parallel.forRange(d.segments(), s, (i0, i1) -> {
            for (int seg = i0; seg < i1; seg++) {
                int ch = seg % c, base = seg * s;
                for (int j = base; j < base + s; j++) {
                    double v = (xa[xo + j] - m[ch]) * a[ch] + b[ch];
                    oa[oo + j] = ga == null ? v : v + ga[go + j] * k[ch];
                }
            }
        });
    }
}

package dev.myelin.cpu;

import dev.myelin.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 batch-norm passes on the Vector API. Two layouts: with S > 1 the vectors run along each
 * channel's contiguous [S] segments (parallel over channels); with S == 1 ([N, C], BatchNorm1d)
 * they run across channels (parallel over channel tiles for the reduction, over rows for the map).
 * Sums are kept in float lanes for at most {@link #FLUSH} elements per lane, then folded into
 * double, so the statistics of large batches keep float64-like accuracy.
 */
final class BatchNormSweepsF32 implements BatchNormSweeps {
    static final BatchNormSweepsF32 INSTANCE = new BatchNormSweepsF32();

    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int L = SP.length();
    private static final int FLUSH = 256;

    private BatchNormSweepsF32() {}

    @Override
    public void reduce(BatchNormDims d, Tensor u, double[] mu, Tensor x, double[] m, double[] s1, double[] s2) {
        float[] ua = CpuStorage.f32(u), xa = CpuStorage.f32(x);
        int uo = CpuStorage.off(u), xo = CpuStorage.off(x);
        if (d.s() == 1) {
            reduceRows(d, ua, uo, mu, xa, xo, m, s1, s2);
            return;
        }
        int n = d.n(), c = d.c(), s = d.s();
        Parallel.forRange(c, d.count(), (c0, c1) -> {
            double[] acc = new double[2];
            for (int ch = c0; ch < c1; ch++) {
                acc[0] = 0;
                acc[1] = 0;
                float muc = (float) mu[ch], mc = (float) m[ch];
                for (int i = 0; i < n; i++) {
                    int seg = (i * c + ch) * s;
                    centeredSums(ua, uo + seg, muc, xa, xo + seg, mc, s, acc);
                }
                s1[ch] += acc[0];
                s2[ch] += acc[1];
            }
        });
    }

    /**
     * Adds {@code sum(u - mu)} to acc[0] and {@code sum((u - mu) * (x - m))} to acc[1] over len
     * contiguous elements of u and x.
     */
    static void centeredSums(float[] u, int uo, float mu, float[] x, int xo, float m, int len, double[] acc) {
        int bound = SP.loopBound(len), i = 0;
        while (i < bound) {
            int end = Math.min(bound, i + FLUSH * L);
            FloatVector a1 = FloatVector.zero(SP), a2 = FloatVector.zero(SP);
            for (; i < end; i += L) {
                FloatVector du = FloatVector.fromArray(SP, u, uo + i).sub(mu);
                a1 = a1.add(du);
                a2 = du.fma(FloatVector.fromArray(SP, x, xo + i).sub(m), a2);
            }
            acc[0] += LaneSums.sum(a1);
            acc[1] += LaneSums.sum(a2);
        }
        for (; i < len; i++) {
            float du = u[uo + i] - mu;
            acc[0] += du;
            acc[1] += du * (x[xo + i] - m);
        }
    }

    /**
     * S == 1: tiles of channels walk down the rows. A tile is {@link #WIDE} vectors wide where C
     * allows, so that each row's loads are one run of contiguous cache lines, which the
     * prefetchers follow (a single vector per row, at a stride of C floats, runs about 3x
     * slower); then single vectors; the last partial vector is scalar.
     */
    private static void reduceRows(BatchNormDims d, float[] u, int uo, double[] mu, float[] x, int xo, double[] m,
                                   double[] s1, double[] s2) {
        int n = d.n(), c = d.c(), wideTiles = c / (WIDE * L), tiles = c / L;
        int narrowTiles = tiles - wideTiles * WIDE, units = wideTiles + narrowTiles + (c % L == 0 ? 0 : 1);
        float[] muF = BatchNormChannels.toFloat(mu), mF = BatchNormChannels.toFloat(m);
        Parallel.forRange(units, (long) n * WIDE * L, (t0, t1) -> {
            float[] lanes = new float[L];
            for (int t = t0; t < t1; t++) {
                if (t < wideTiles) {
                    sumsDownWide(u, uo, muF, x, xo, mF, n, c, t * WIDE * L, s1, s2, lanes);
                } else if (t < wideTiles + narrowTiles) {
                    sumsDown(u, uo, muF, x, xo, mF, n, c, (t - wideTiles + wideTiles * WIDE) * L, s1, s2, lanes);
                } else {
                    for (int ch = tiles * L; ch < c; ch++) {
                        for (int r = 0; r < n; r++) {
                            float du = u[uo + r * c + ch] - muF[ch];
                            s1[ch] += du;
                            s2[ch] += du * (x[xo + r * c + ch] - mF[ch]);
                        }
                    }
                }
            }
        });
    }

    private static final int WIDE = 4;

    /** One vector of channels from ch: the sums of {@link #reduce} down all n rows. */
    private static void sumsDown(float[] u, int uo, float[] mu, float[] x, int xo, float[] m, int n, int c, int ch,
                                 double[] s1, double[] s2, float[] lanes) {
        FloatVector vmu = FloatVector.fromArray(SP, mu, ch), vm = FloatVector.fromArray(SP, m, ch);
        for (int r0 = 0; r0 < n; r0 += FLUSH) {
            FloatVector a1 = FloatVector.zero(SP), a2 = FloatVector.zero(SP);
            for (int r = r0, r1 = Math.min(n, r0 + FLUSH); r < r1; r++) {
                FloatVector du = FloatVector.fromArray(SP, u, uo + r * c + ch).sub(vmu);
                a1 = a1.add(du);
                a2 = du.fma(FloatVector.fromArray(SP, x, xo + r * c + ch).sub(vm), a2);
            }
            fold(a1, s1, ch, lanes);
            fold(a2, s2, ch, lanes);
        }
    }

    /** {@link #WIDE} (= 4) vectors of channels from ch, as {@link #sumsDown}. */
    private static void sumsDownWide(float[] u, int uo, float[] mu, float[] x, int xo, float[] m, int n, int c, int ch,
                                     double[] s1, double[] s2, float[] lanes) {
        FloatVector mu0 = FloatVector.fromArray(SP, mu, ch), mu1 = FloatVector.fromArray(SP, mu, ch + L);
        FloatVector mu2 = FloatVector.fromArray(SP, mu, ch + 2 * L), mu3 = FloatVector.fromArray(SP, mu, ch + 3 * L);
        FloatVector m0 = FloatVector.fromArray(SP, m, ch), m1 = FloatVector.fromArray(SP, m, ch + L);
        FloatVector m2 = FloatVector.fromArray(SP, m, ch + 2 * L), m3 = FloatVector.fromArray(SP, m, ch + 3 * L);
        for (int r0 = 0; r0 < n; r0 += FLUSH) {
            FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int r = r0, r1 = Math.min(n, r0 + FLUSH); r < r1; r++) {
                int ui = uo + r * c + ch, xi = xo + r * c + ch;
                FloatVector du = FloatVector.fromArray(SP, u, ui).sub(mu0);
                a0 = a0.add(du);
                b0 = du.fma(FloatVector.fromArray(SP, x, xi).sub(m0), b0);
                du = FloatVector.fromArray(SP, u, ui + L).sub(mu1);
                a1 = a1.add(du);
                b1 = du.fma(FloatVector.fromArray(SP, x, xi + L).sub(m1), b1);
                du = FloatVector.fromArray(SP, u, ui + 2 * L).sub(mu2);
                a2 = a2.add(du);
                b2 = du.fma(FloatVector.fromArray(SP, x, xi + 2 * L).sub(m2), b2);
                du = FloatVector.fromArray(SP, u, ui + 3 * L).sub(mu3);
                a3 = a3.add(du);
                b3 = du.fma(FloatVector.fromArray(SP, x, xi + 3 * L).sub(m3), b3);
            }
            fold(a0, s1, ch, lanes);
            fold(a1, s1, ch + L, lanes);
            fold(a2, s1, ch + 2 * L, lanes);
            fold(a3, s1, ch + 3 * L, lanes);
            fold(b0, s2, ch, lanes);
            fold(b1, s2, ch + L, lanes);
            fold(b2, s2, ch + 2 * L, lanes);
            fold(b3, s2, ch + 3 * L, lanes);
        }
    }

    /** {@code s[ch + l] += v[l]}: float lane sums go into the double totals. */
    private static void fold(FloatVector v, double[] s, int ch, float[] lanes) {
        v.intoArray(lanes, 0);
        for (int l = 0; l < L; l++) s[ch + l] += lanes[l];
    }

    @Override
    public double representable(double v) {
        return (float) v;
    }

    @Override
    public void map(BatchNormDims d, Tensor x, double[] m, double[] a, double[] b, Tensor g, double[] k, Tensor out) {
        float[] xa = CpuStorage.f32(x), oa = CpuStorage.f32(out), ga = g == null ? null : CpuStorage.f32(g);
        int xo = CpuStorage.off(x), oo = CpuStorage.off(out), go = g == null ? 0 : CpuStorage.off(g);
        float[] mF = BatchNormChannels.toFloat(m), aF = BatchNormChannels.toFloat(a), bF = new float[m.length];
        // The map is affine in x, so the rounding of m to float is undone exactly through b.
        for (int ch = 0; ch < m.length; ch++) bF[ch] = (float) (b[ch] - (m[ch] - mF[ch]) * a[ch]);
        float[] kF = g == null ? null : BatchNormChannels.toFloat(k);
        int c = d.c(), s = d.s();
        if (s == 1) {
            // Rows of C: the coefficients are vectors loaded alongside x.
            Parallel.forRange(d.n(), c, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    mapRange(xa, xo + r * c, ga, go + r * c, oa, oo + r * c, mF, aF, bF, kF, c);
                }
            });
            return;
        }
        Parallel.forRange(d.segments(), s, (i0, i1) -> {
            for (int seg = i0; seg < i1; seg++) {
                int ch = seg % c, base = seg * s;
                mapSegment(xa, xo + base, ga, go + base, oa, oo + base, mF[ch], aF[ch], bF[ch],
                        kF == null ? 0 : kF[ch], s);
            }
        });
    }

    /** One channel segment: the coefficients are scalars. */
    private static void mapSegment(float[] x, int xo, float[] g, int go, float[] out, int oo, float m, float a,
                                   float b, float k, int len) {
        int bound = SP.loopBound(len), i = 0;
        if (g == null) {
            for (; i < bound; i += L) FloatVector.fromArray(SP, x, xo + i).sub(m).fma(a, b).intoArray(out, oo + i);
            for (; i < len; i++) out[oo + i] = (x[xo + i] - m) * a + b;
        } else {
            FloatVector av = FloatVector.broadcast(SP, a);
            for (; i < bound; i += L) {
                FloatVector gk = FloatVector.fromArray(SP, g, go + i).fma(k, b);
                FloatVector.fromArray(SP, x, xo + i).sub(m).fma(av, gk).intoArray(out, oo + i);
            }
            for (; i < len; i++) out[oo + i] = (x[xo + i] - m) * a + (g[go + i] * k + b);
        }
    }

    /** One row of C channels (S == 1): the coefficients are arrays indexed by channel. */
    private static void mapRange(float[] x, int xo, float[] g, int go, float[] out, int oo, float[] m, float[] a,
                                 float[] b, float[] k, int len) {
        int bound = SP.loopBound(len), i = 0;
        for (; i < bound; i += L) {
            FloatVector bias = FloatVector.fromArray(SP, b, i);
            if (g != null) bias = FloatVector.fromArray(SP, g, go + i).fma(FloatVector.fromArray(SP, k, i), bias);
            FloatVector.fromArray(SP, x, xo + i).sub(FloatVector.fromArray(SP, m, i))
                    .fma(FloatVector.fromArray(SP, a, i), bias).intoArray(out, oo + i);
        }
        for (; i < len; i++) {
            float bias = g == null ? b[i] : g[go + i] * k[i] + b[i];
            out[oo + i] = (x[xo + i] - m[i]) * a[i] + bias;
        }
    }
}

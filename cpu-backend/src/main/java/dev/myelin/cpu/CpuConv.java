package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Conv;

/**
 * CPU kernels of the Conv family: per group, im2col ({@link ConvIm2col}) and one GEMM for a few
 * samples side by side, enough for some {@link #GEMM_COLUMNS} columns: one sample of a 14 x 14
 * plane made a GEMM 196 columns wide, too narrow to pay for its packing, and ran at a third of the
 * GEMM's speed. With at least as many samples as threads, samples run in parallel (each GEMM on
 * one thread); otherwise samples run in turn and each GEMM splits across the threads. A 1x1 kernel
 * with unit stride and no padding uses the input planes as the column matrix directly, one sample
 * at a time. Tensors are contiguous.
 */
final class CpuConv implements Conv {
    /** About how many columns (output positions of all its samples) one GEMM gets. */
    private static final int GEMM_COLUMNS = 1024;

    /** Shapes of one call: batch, channels, outputs, groups and the per-plane geometry. */
    private record Dims(int n, int c, int o, int groups, ConvIm2col.Geometry g) {
        static Dims of(Tensor x, Tensor y, int kh, int kw, Conv.Params p) {
            int[] xs = x.shape(), ys = y.shape();
            return new Dims(xs[0], xs[1], ys[1], p.groups(), new ConvIm2col.Geometry(xs[2], xs[3], kh, kw, ys[2], ys[3],
                    p.strideH(), p.strideW(), p.padH(), p.padW(), p.dilationH(), p.dilationW()));
        }

        int cg() {
            return c / groups;
        }

        int og() {
            return o / groups;
        }

        /** Rows of a group's column matrix: Cg * KH * KW. */
        int rows() {
            return cg() * g.kh() * g.kw();
        }

        int inPlane() {
            return g.h() * g.w();
        }

        int outPlane() {
            return g.oh() * g.ow();
        }

        /** A 1x1, stride-1, unpadded conv: the input planes are the column matrix. */
        boolean pointwise() {
            return g.kh() == 1 && g.kw() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
        }

        /** Samples side by side in one GEMM: 1 pointwise, else enough for GEMM_COLUMNS (a thread's share at most). */
        int perGemm() {
            if (pointwise()) return 1;
            int share = samplesInParallel() ? (n + Parallel.threads() - 1) / Parallel.threads() : n;
            return Math.max(1, Math.min(share, (GEMM_COLUMNS + outPlane() - 1) / outPlane()));
        }

        /** Offset of sample i's group grp in a tensor of per-sample planes (channels per group, plane size). */
        int at(int i, int grp, int channels, int groupChannels, int plane) {
            return (i * channels + grp * groupChannels) * plane;
        }

        /** Enough samples to give each thread one, and enough work to pay for waking the pool. */
        boolean samplesInParallel() {
            long work = (long) n * o * rows() * outPlane();
            return Parallel.threads() > 1 && n >= Parallel.threads() && work >= GemmSplit.MIN_WORK;
        }
    }

    @Override
    public void conv2d(Tensor x, Tensor weight, Tensor bias, Conv.Params p, Tensor y) {
        Dims d = Dims.of(x, y, weight.size(2), weight.size(3), p);
        Object xa = array(x), wa = array(weight), ya = array(y);
        int xo = CpuStorage.off(x), wo = CpuStorage.off(weight), yo = CpuStorage.off(y);
        boolean parallelSamples = d.samplesInParallel();
        int per = d.perGemm(), plane = d.outPlane();
        forSamples(d, (s, e) -> {
            Object cols = d.pointwise() ? null : newArray(x.dtype(), d.rows() * per * plane);
            Object out = per > 1 ? newArray(x.dtype(), d.og() * per * plane) : null;
            for (int i0 = s; i0 < e; i0 += per) {
                int count = Math.min(per, e - i0), width = count * plane;
                for (int grp = 0; grp < d.groups(); grp++) {
                    Object b = xa;
                    int bo = xo + d.at(i0, grp, d.c(), d.cg(), d.inPlane());
                    if (cols != null) {
                        im2colSamples(d, xa, xo, i0, count, grp, cols);
                        b = cols;
                        bo = 0;
                    }
                    // y_g [Og, samples x OH*OW] = W_g [Og, rows] @ cols [rows, samples x OH*OW]
                    int yg = yo + d.at(i0, grp, d.o(), d.og(), plane);
                    gemm(false, false, d.og(), width, d.rows(), wa, wo + grp * d.og() * d.rows(), b, bo, 0,
                            out == null ? ya : out, out == null ? yg : 0, !parallelSamples);
                    if (out != null) sideBySide(false, ya, yg, d.o() * plane, out, count, d.og(), plane);
                }
                for (int j = 0; j < count; j++) {
                    if (bias != null) addBias(bias, d, ya, yo + (i0 + j) * d.o() * plane);
                }
            }
        });
    }

    @Override
    public void conv2dBackwardData(Tensor gradY, Tensor weight, Conv.Params p, Tensor gradX) {
        Dims d = Dims.of(gradX, gradY, weight.size(2), weight.size(3), p);
        Object ga = array(gradY), wa = array(weight), xa = array(gradX);
        int go = CpuStorage.off(gradY), wo = CpuStorage.off(weight), xo = CpuStorage.off(gradX);
        boolean parallelSamples = d.samplesInParallel();
        int per = d.perGemm(), plane = d.outPlane();
        forSamples(d, (s, e) -> {
            Object cols = d.pointwise() ? null : newArray(gradX.dtype(), d.rows() * per * plane);
            Object gy = per > 1 ? newArray(gradX.dtype(), d.og() * per * plane) : null;
            for (int i0 = s; i0 < e; i0 += per) {
                int count = Math.min(per, e - i0), width = count * plane;
                if (cols != null) fillZero(xa, xo + i0 * d.c() * d.inPlane(), count * d.c() * d.inPlane());
                for (int grp = 0; grp < d.groups(); grp++) {
                    int xg = xo + d.at(i0, grp, d.c(), d.cg(), d.inPlane());
                    Object g = ga;
                    int gg = go + d.at(i0, grp, d.o(), d.og(), plane);
                    if (gy != null) {
                        sideBySide(true, ga, gg, d.o() * plane, gy, count, d.og(), plane);
                        g = gy;
                        gg = 0;
                    }
                    // cols [rows, samples x OH*OW] = W_g^T [rows, Og] @ gradY_g [Og, samples x OH*OW]
                    gemm(true, false, d.rows(), width, d.og(), wa, wo + grp * d.og() * d.rows(), g, gg, 0,
                            cols == null ? xa : cols, cols == null ? xg : 0, !parallelSamples);
                    for (int j = 0; cols != null && j < count; j++) {
                        ConvIm2col.col2im(cols, j * plane, width, d.cg(), d.g(), xa,
                                xo + d.at(i0 + j, grp, d.c(), d.cg(), d.inPlane()));
                    }
                }
            }
        });
    }

    @Override
    public void conv2dBackwardFilter(Tensor gradY, Tensor x, Conv.Params p, Tensor gradWeight) {
        Dims d = Dims.of(x, gradY, gradWeight.size(2), gradWeight.size(3), p);
        Object ga = array(gradY), xa = array(x), wa = array(gradWeight);
        int go = CpuStorage.off(gradY), xo = CpuStorage.off(x), wo = CpuStorage.off(gradWeight);
        int wLen = d.o() * d.rows();
        fillZero(wa, wo, wLen);
        if (d.n() == 0) return;
        // Parallel samples each sum into their own partial gradient; the partials are added at the end.
        int parts = d.samplesInParallel() ? Parallel.threads() : 1;
        int per = d.perGemm(), plane = d.outPlane();
        Object[] partial = new Object[parts];
        Parallel.forRange(parts, Parallel.GRAIN, (s, e) -> {
            for (int part = s; part < e; part++) {
                Object acc = parts == 1 ? wa : newArray(x.dtype(), wLen);
                int accOff = parts == 1 ? wo : 0;
                Object cols = d.pointwise() ? null : newArray(x.dtype(), d.rows() * per * plane);
                Object gy = per > 1 ? newArray(x.dtype(), d.og() * per * plane) : null;
                int end = d.n() * (part + 1) / parts;
                for (int i0 = d.n() * part / parts; i0 < end; i0 += per) {
                    int count = Math.min(per, end - i0), width = count * plane;
                    for (int grp = 0; grp < d.groups(); grp++) {
                        Object b = xa, g = ga;
                        int bo = xo + d.at(i0, grp, d.c(), d.cg(), d.inPlane());
                        int gg = go + d.at(i0, grp, d.o(), d.og(), plane);
                        if (cols != null) {
                            im2colSamples(d, xa, xo, i0, count, grp, cols);
                            b = cols;
                            bo = 0;
                        }
                        if (gy != null) {
                            sideBySide(true, ga, gg, d.o() * plane, gy, count, d.og(), plane);
                            g = gy;
                            gg = 0;
                        }
                        // gradW_g [Og, rows] += gradY_g [Og, samples x OH*OW] @ cols^T [samples x OH*OW, rows]
                        gemm(false, true, d.og(), d.rows(), width, g, gg, b, bo, 1,
                                acc, accOff + grp * d.og() * d.rows(), parts == 1);
                    }
                }
                partial[part] = acc;
            }
        });
        if (parts > 1) {
            for (Object acc : partial) addInto(acc, wa, wo, wLen);
        }
    }

    /** The column matrix of group grp of samples [i0, i0 + count), side by side (rows count planes long). */
    private static void im2colSamples(Dims d, Object x, int xo, int i0, int count, int grp, Object cols) {
        int plane = d.outPlane();
        for (int j = 0; j < count; j++) {
            ConvIm2col.im2col(x, xo + d.at(i0 + j, grp, d.c(), d.cg(), d.inPlane()), d.cg(), d.g(), cols, j * plane,
                    count * plane);
        }
    }

    /**
     * Copies between the samples' own layout in {@code samples} (sample j's {@code rows} rows of
     * {@code plane} values from off + j * sampleStride, one plane apart) and the side-by-side
     * layout of a wide GEMM operand (row r of sample j at r * count * plane + j * plane): into the
     * side-by-side array with {@code gather}, out of it otherwise.
     */
    private static void sideBySide(boolean gather, Object samples, int off, int sampleStride, Object wide, int count,
                                   int rows, int plane) {
        int width = count * plane;
        for (int j = 0; j < count; j++) {
            for (int r = 0; r < rows; r++) {
                int own = off + j * sampleStride + r * plane, side = r * width + j * plane;
                if (gather) System.arraycopy(samples, own, wide, side, plane);
                else System.arraycopy(wide, side, samples, own, plane);
            }
        }
    }

    /** Runs body over the samples: in parallel chunks, or all on this thread (GEMMs then split). */
    private static void forSamples(Dims d, Parallel.Range body) {
        if (d.samplesInParallel()) {
            Parallel.forRange(d.n(), Parallel.GRAIN, body);
        } else {
            body.run(0, d.n());
        }
    }

    private static void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, Object b, int bo,
                             double beta, Object c, int co, boolean parallel) {
        if (c instanceof float[] cf) {
            GemmF32.gemm(ta, tb, m, n, k, 1f, (float[]) a, ao, (float[]) b, bo, (float) beta, cf, co, parallel);
        } else {
            GemmF64.gemm(ta, tb, m, n, k, 1.0, (double[]) a, ao, (double[]) b, bo, beta, (double[]) c, co);
        }
    }

    private static void addBias(Tensor bias, Dims d, Object y, int yo) {
        int bo = CpuStorage.off(bias), plane = d.outPlane();
        if (y instanceof float[] yf) {
            float[] b = CpuStorage.f32(bias);
            for (int o = 0; o < d.o(); o++) {
                float v = b[bo + o];
                for (int q = yo + o * plane, end = q + plane; q < end; q++) yf[q] += v;
            }
        } else {
            double[] yd = (double[]) y, b = CpuStorage.f64(bias);
            for (int o = 0; o < d.o(); o++) {
                double v = b[bo + o];
                for (int q = yo + o * plane, end = q + plane; q < end; q++) yd[q] += v;
            }
        }
    }

    private static void addInto(Object src, Object dst, int off, int len) {
        if (dst instanceof float[] df) {
            float[] sf = (float[]) src;
            for (int i = 0; i < len; i++) df[off + i] += sf[i];
        } else {
            double[] sd = (double[]) src, dd = (double[]) dst;
            for (int i = 0; i < len; i++) dd[off + i] += sd[i];
        }
    }

    private static void fillZero(Object a, int from, int len) {
        if (a instanceof float[] f) {
            java.util.Arrays.fill(f, from, from + len, 0f);
        } else {
            java.util.Arrays.fill((double[]) a, from, from + len, 0.0);
        }
    }

    private static Object newArray(DType dtype, int len) {
        return dtype == DType.FLOAT32 ? new float[len] : new double[len];
    }

    private static Object array(Tensor t) {
        return switch (t.dtype()) {
            case FLOAT32 -> CpuStorage.f32(t);
            case FLOAT64 -> CpuStorage.f64(t);
            default ->
                    throw new IllegalArgumentException("conv2d: cpu kernels take float32 or float64, got " + t.dtype());
        };
    }
}

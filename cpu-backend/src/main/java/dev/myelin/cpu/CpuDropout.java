package dev.myelin.cpu;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Dropout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * CPU kernels of the Dropout family, on contiguous tensors. Each mask decision is a pure function
 * of its index, so the tensor is cut into independent chunks run in parallel: with groupSize 1,
 * tiles of {@link #TILE} elements whose keep flags become a vector mask; with larger groups, one
 * draw per group, which then scales or zeroes the whole group.
 */
final class CpuDropout implements Dropout {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int TILE = 1024;
    /** Rough cost of one element, mostly its share of a Philox block (10 rounds per 4 numbers). */
    private static final long COST = 16;

    @Override
    public void dropout(Tensor x, double p, long seed, long offset, long groupSize, Tensor out) {
        check(x, p, groupSize, out);
        int n = Math.toIntExact(x.numel());
        double scale = 1 / (1 - p);
        int xo = CpuStorage.off(x), oo = CpuStorage.off(out);
        Object xa = Strided.array(x), oa = Strided.array(out);
        if (groupSize == 1) {
            int tiles = (n + TILE - 1) / TILE;
            Parallel.forRange(tiles, TILE * COST, (t0, t1) -> {
                DropoutDraws draws = new DropoutDraws(seed, offset, p);
                boolean[] keep = new boolean[TILE];
                for (int t = t0; t < t1; t++) {
                    int start = t * TILE, len = Math.min(TILE, n - start);
                    draws.fill(start, len, keep);
                    switch (xa) {
                        case float[] xf -> maskTile(xf, xo + start, keep, (float) scale, (float[]) oa, oo + start, len);
                        case double[] xd -> maskTile(xd, xo + start, keep, scale, (double[]) oa, oo + start, len);
                        default -> throw new IllegalStateException();
                    }
                }
            });
            return;
        }
        int group = Math.toIntExact(groupSize), groups = n / group;
        Parallel.forRange(groups, group + COST, (j0, j1) -> {
            DropoutDraws draws = new DropoutDraws(seed, offset, p);
            for (int j = j0; j < j1; j++) {
                int start = j * group;
                boolean kept = draws.keep(j);
                switch (xa) {
                    case float[] xf ->
                            scaleGroup(xf, xo + start, kept ? (float) scale : 0f, (float[]) oa, oo + start, group);
                    case double[] xd -> scaleGroup(xd, xo + start, kept ? scale : 0, (double[]) oa, oo + start, group);
                    default -> throw new IllegalStateException();
                }
            }
        });
    }

    private static void maskTile(float[] x, int xo, boolean[] keep, float scale, float[] out, int oo, int len) {
        int bound = FS.loopBound(len), i = 0;
        FloatVector zero = FloatVector.zero(FS);
        for (; i < bound; i += FS.length()) {
            VectorMask<Float> m = VectorMask.fromArray(FS, keep, i);
            zero.blend(FloatVector.fromArray(FS, x, xo + i).mul(scale), m).intoArray(out, oo + i);
        }
        for (; i < len; i++) out[oo + i] = keep[i] ? x[xo + i] * scale : 0f;
    }

    private static void maskTile(double[] x, int xo, boolean[] keep, double scale, double[] out, int oo, int len) {
        for (int i = 0; i < len; i++) out[oo + i] = keep[i] ? x[xo + i] * scale : 0;
    }

    /** A dropped group is written as zeros, not x * 0, so that inf or NaN inputs do not leak. */
    private static void scaleGroup(float[] x, int xo, float scale, float[] out, int oo, int len) {
        if (scale == 0) {
            Arrays.fill(out, oo, oo + len, 0f);
            return;
        }
        int bound = FS.loopBound(len), i = 0;
        for (; i < bound; i += FS.length()) FloatVector.fromArray(FS, x, xo + i).mul(scale).intoArray(out, oo + i);
        for (; i < len; i++) out[oo + i] = x[xo + i] * scale;
    }

    private static void scaleGroup(double[] x, int xo, double scale, double[] out, int oo, int len) {
        if (scale == 0) {
            Arrays.fill(out, oo, oo + len, 0);
            return;
        }
        for (int i = 0; i < len; i++) out[oo + i] = x[xo + i] * scale;
    }

    private static void check(Tensor x, double p, long groupSize, Tensor out) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("cpu dropout: p must be in [0, 1), got " + p);
        if (groupSize < 1 || x.numel() % groupSize != 0) {
            throw new IllegalArgumentException("cpu dropout: groupSize " + groupSize + " does not divide the "
                    + x.numel() + " elements of shape " + Shape.str(x.shape()));
        }
        if (!x.isContiguous() || !out.isContiguous() || x.numel() != out.numel() || x.dtype() != out.dtype()) {
            throw new IllegalArgumentException("cpu dropout: expects contiguous x and out of one dtype and size, got "
                    + Shape.str(x.shape()) + " " + x.dtype() + " and " + Shape.str(out.shape()) + " " + out.dtype());
        }
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("cpu dropout: expected float32 or float64, got " + x.dtype());
        }
    }
}

package dev.myelin.cpu;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Indexing;

/**
 * CPU kernels of the Indexing family. The index [outer, J, inner] is validated first (one scan),
 * then walked in parallel: gather by rows of inner elements, scatter-add by (outer, slice of
 * inner), so that no two threads add to one element and each element takes its contributions in
 * increasing j. The indexed tensor may be any view: its offsets for outer and inner positions are
 * tabulated once. The loops are scalar: each element is a load at an index read from memory, which
 * the vector lanes' gather does not make faster.
 */
final class CpuIndexing implements Indexing {
    /** Inner elements one scatter-add task takes, when the outer dimension alone is too small to split. */
    private static final int TILE = 2048;

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        Geometry g = Geometry.of("gather", x, dim, index);
        check("gather", x, "out", out, index);
        if (!out.isContiguous()) throw new IllegalArgumentException("gather: 'out' must be contiguous");
        g.validate("gather", index);
        int[] ii = index.dtype() == DType.INT32 ? CpuStorage.i32(index) : null;
        long[] il = ii == null ? CpuStorage.i64(index) : null;
        int io = CpuStorage.off(index), xo = CpuStorage.off(x), oo = CpuStorage.off(out);
        int rows = g.outer * g.j;
        Parallel.forRange(rows, Math.max(1, g.inner) * 2L, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = xo + g.yOuter[r / g.j], at = r * g.inner;
                if (x.dtype() == DType.FLOAT32) {
                    float[] xa = CpuStorage.f32(x), oa = CpuStorage.f32(out);
                    for (int i = 0; i < g.inner; i++) {
                        long v = ii != null ? ii[io + at + i] : il[io + at + i];
                        oa[oo + at + i] = xa[base + (int) v * g.yStride + g.yInner[i]];
                    }
                } else {
                    double[] xa = CpuStorage.f64(x), oa = CpuStorage.f64(out);
                    for (int i = 0; i < g.inner; i++) {
                        long v = ii != null ? ii[io + at + i] : il[io + at + i];
                        oa[oo + at + i] = xa[base + (int) v * g.yStride + g.yInner[i]];
                    }
                }
            }
        });
    }

    @Override
    public void scatterAdd(Tensor src, int dim, Tensor index, Tensor out) {
        Geometry g = Geometry.of("scatter_add", out, dim, index);
        check("scatter_add", out, "src", src, index);
        if (!src.isContiguous()) throw new IllegalArgumentException("scatter_add: 'src' must be contiguous");
        g.validate("scatter_add", index);
        int[] ii = index.dtype() == DType.INT32 ? CpuStorage.i32(index) : null;
        long[] il = ii == null ? CpuStorage.i64(index) : null;
        int io = CpuStorage.off(index), so = CpuStorage.off(src), oo = CpuStorage.off(out);
        int tiles = g.outer >= Parallel.threads() ? 1 : Math.max(1, (g.inner + TILE - 1) / TILE);
        Parallel.forRange(g.outer * tiles, (long) g.j * Math.min(g.inner, TILE) * 2, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int o = t / tiles, tile = t % tiles;
                int from = (int) ((long) g.inner * tile / tiles), to = (int) ((long) g.inner * (tile + 1) / tiles);
                int base = oo + g.yOuter[o];
                for (int j = 0; j < g.j; j++) {
                    int at = (o * g.j + j) * g.inner;
                    if (out.dtype() == DType.FLOAT32) {
                        float[] sa = CpuStorage.f32(src), oa = CpuStorage.f32(out);
                        for (int i = from; i < to; i++) {
                            long v = ii != null ? ii[io + at + i] : il[io + at + i];
                            oa[base + (int) v * g.yStride + g.yInner[i]] += sa[so + at + i];
                        }
                    } else {
                        double[] sa = CpuStorage.f64(src), oa = CpuStorage.f64(out);
                        for (int i = from; i < to; i++) {
                            long v = ii != null ? ii[io + at + i] : il[io + at + i];
                            oa[base + (int) v * g.yStride + g.yInner[i]] += sa[so + at + i];
                        }
                    }
                }
            }
        });
    }

    /** Dtypes and the shape of the contiguous operand (out of gather, src of scatter-add). */
    private static void check(String op, Tensor indexed, String name, Tensor other, Tensor index) {
        if (!indexed.dtype().isFloating() || other.dtype() != indexed.dtype()) {
            throw new IllegalArgumentException(op + ": expects one floating dtype, got " + indexed.dtype() + " and '"
                    + name + "' " + other.dtype());
        }
        if (!java.util.Arrays.equals(other.shape(), index.shape())) {
            throw new IllegalArgumentException(op + ": '" + name + "' of shape " + Shape.str(other.shape())
                    + " must have the index's shape " + Shape.str(index.shape()));
        }
    }

    /**
     * The index as [outer, j, inner] and the indexed tensor's offsets: {@code yOuter[o]} and
     * {@code yInner[i]} (relative to its offset) and {@code yStride} along dim, of size {@code size}.
     * Offsets are ints: a CPU storage holds fewer than 2^31 elements.
     */
    private record Geometry(int dim, int outer, int j, int inner, int size, int yStride, int[] yOuter, int[] yInner) {
        static Geometry of(String op, Tensor y, int dim, Tensor index) {
            int[] s = index.shape(), ys = y.shape();
            if (index.dtype() != DType.INT32 && index.dtype() != DType.INT64) {
                throw new IllegalArgumentException(op + ": 'index' must be int32 or int64, got " + index.dtype());
            }
            if (!index.isContiguous() || s.length != ys.length || dim < 0 || dim >= s.length) {
                throw new IllegalArgumentException(op
                        + ": expects a contiguous index of the indexed tensor's rank and a"
                        + " dim in range, got index " + Shape.str(s) + " and " + Shape.str(ys) + " at dim " + dim);
            }
            for (int k = 0; k < s.length; k++) {
                if (k != dim && s[k] != ys[k]) {
                    throw new IllegalArgumentException(op + ": the indexed tensor " + Shape.str(ys) + " must have the"
                            + " index's shape " + Shape.str(s) + " outside dim " + dim);
                }
            }
            int outer = 1, inner = 1;
            for (int k = 0; k < dim; k++) outer *= s[k];
            for (int k = dim + 1; k < s.length; k++) inner *= s[k];
            return new Geometry(dim, outer, s[dim], inner, ys[dim], (int) y.stride(dim),
                    offsets(y, 0, dim, outer), offsets(y, dim + 1, s.length, inner));
        }

        /** Offsets of the row-major positions of dimensions [from, to) of y. */
        private static int[] offsets(Tensor y, int from, int to, int count) {
            int[] out = new int[count];
            int[] pos = new int[to - from];
            long off = 0;
            for (int n = 0; n < count; n++) {
                out[n] = (int) off;
                for (int k = to - 1; k >= from; k--) {
                    off += y.stride(k);
                    if (++pos[k - from] < y.size(k)) break;
                    off -= y.stride(k) * y.size(k);
                    pos[k - from] = 0;
                }
            }
            return out;
        }

        /** Throws on the first index value outside [0, size). */
        void validate(String op, Tensor index) {
            int n = Math.toIntExact(index.numel()), io = CpuStorage.off(index);
            Object a = Strided.array(index);
            for (int k = 0; k < n; k++) {
                long v = Strided.getLong(a, io + k);
                if (v < 0 || v >= size) {
                    throw new IllegalArgumentException(op + ": index " + v + " (at position " + k + " of 'index' "
                            + Shape.str(index.shape()) + ") is out of bounds for dimension " + dim + " of size "
                            + size);
                }
            }
        }
    }
}

package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** torch.gather and Tensor.scatter_add against hand-computed indices, their errors and gradients. */
class IndexOpsTest extends BackendCase {
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};
    private static final DType[] INDEX = {DType.INT32, DType.INT64};

    /** x = [[1, 2, 3], [4, 5, 6]] */
    private Tensor x(DType dt) {
        return tensor(dt, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    @OnEachBackend
    void gatherAlongEachDimension(BackendUnderTest on) {
        for (DType dt : FLOATS) {
            for (DType it : INDEX) {
                // dim 1: out[i][j] = x[i][index[i][j]]
                Tensor g1 = x(dt).gather(1, ints(it, new long[] {2, 0, 0, 1, 1, 2}, 2, 3));
                assertArrayEquals(new double[] {3, 1, 1, 5, 5, 6}, g1.toDoubleArray(), dt + " " + it);
                // dim 0: out[i][j] = x[index[i][j]][j]; index smaller than x in dim 1 reads its leading columns
                Tensor g0 = x(dt).gather(0, ints(it, new long[] {1, 0, 1, 1, 0, 0}, 3, 2));
                assertArrayEquals(new int[] {3, 2}, g0.shape());
                assertArrayEquals(new double[] {4, 2, 4, 5, 1, 2}, g0.toDoubleArray(), dt + " " + it);
                // negative dim
                Tensor gm = x(dt).gather(-1, ints(it, new long[] {1, 2}, 2, 1));
                assertArrayEquals(new double[] {2, 6}, gm.toDoubleArray());
            }
        }
    }

    @OnEachBackend
    void zeroDimensionalAndEmptyIndices(BackendUnderTest on) {
        Tensor scalar = tensor(DType.FLOAT64, new double[] {5}, new int[0]);
        Tensor g = scalar.gather(0, ints(DType.INT64, new long[] {0}, new int[0]));
        assertArrayEquals(new int[0], g.shape());
        assertEquals(5, g.item());
        Tensor s = scalar.scatterAdd(0, ints(DType.INT32, new long[] {0}, new int[0]), tensor(DType.FLOAT64,
                new double[] {2}, new int[0]));
        assertEquals(7, s.item());
        Tensor empty = x(DType.FLOAT32).gather(1, ints(DType.INT64, new long[0], 2, 0));
        assertArrayEquals(new int[] {2, 0}, empty.shape());
    }

    @OnEachBackend
    void gatherReadsStridedViewsAndMiddleDimensions(BackendUnderTest on) {
        Random r = new Random(1);
        for (DType dt : FLOATS) {
            Tensor base = uniform(r, dt, -1, 1, 4, 5, 6);
            Tensor view = base.transpose(0, 2);  // [6, 5, 4]
            long[] idx = new long[6 * 3 * 4];
            for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(5);
            Tensor out = view.gather(1, ints(DType.INT64, idx, 6, 3, 4));
            double[] b = base.toDoubleArray(), o = out.toDoubleArray();
            for (int a = 0; a < 6; a++) {
                for (int j = 0; j < 3; j++) {
                    for (int c = 0; c < 4; c++) {
                        int k = (a * 3 + j) * 4 + c;
                        // view[a][v][c] = base[c][v][a]
                        assertEquals(b[(c * 5 + (int) idx[k]) * 6 + a], o[k], dt + " at " + k);
                    }
                }
            }
        }
    }

    @OnEachBackend
    void scatterAddAccumulatesRepeatedIndices(BackendUnderTest on) {
        for (DType dt : FLOATS) {
            for (DType it : INDEX) {
                Tensor self = tensor(dt, new double[] {10, 20, 30, 40, 50, 60}, 2, 3);
                Tensor src = tensor(dt, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
                // dim 1: out[i][index[i][j]] += src[i][j]
                Tensor s1 = self.scatterAdd(1, ints(it, new long[] {0, 0, 2, 1, 1, 1}, 2, 3), src);
                assertArrayEquals(new double[] {13, 20, 33, 40, 65, 60}, s1.toDoubleArray(), dt + " " + it);
                // dim 0 with an index smaller than src (2 x 2 of its 2 x 3): out[index[i][j]][j] += src[i][j]
                Tensor s0 = self.scatterAdd(0, ints(it, new long[] {1, 1, 1, 0}, 2, 2), src);
                assertArrayEquals(new double[] {10, 25, 30, 45, 52, 60}, s0.toDoubleArray(), dt + " " + it);
                assertArrayEquals(new double[] {10, 20, 30, 40, 50, 60}, self.toDoubleArray(), "self is not written");
            }
        }
    }

    @OnEachBackend
    void scatterAddIsGathersAdjointOnLargeTensors(BackendUnderTest on) {
        // <x.gather(d, i), s> == <x, zeros.scatterAdd(d, i, s)> on tensors large enough to run in parallel.
        Random r = new Random(2);
        for (int dim = 0; dim < 3; dim++) {
            int[] shape = {40, 30, 50};
            Tensor x = uniform(r, DType.FLOAT64, -1, 1, shape);
            int[] ishape = shape.clone();
            ishape[dim] = 17;
            long[] idx = new long[ishape[0] * ishape[1] * ishape[2]];
            for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(shape[dim]);
            Tensor index = ints(DType.INT64, idx, ishape);
            Tensor s = uniform(r, DType.FLOAT64, -1, 1, ishape);
            double lhs = x.gather(dim, index).mul(s).sum().item();
            double rhs = x.mul(Tensor.zerosLike(x).scatterAdd(dim, index, s)).sum().item();
            assertEquals(lhs, rhs, 1e-9 * Math.abs(lhs) + 1e-9, "dim " + dim);
        }
    }

    @OnEachBackend
    void outOfRangeIndicesNameTheOpTheValueAndTheSize(BackendUnderTest on) {
        for (DType it : INDEX) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> x(DType.FLOAT32).gather(1, ints(it, new long[] {0, 3}, 2, 1)));
            assertTrue(e.getMessage().startsWith("gather:") && e.getMessage().contains("index 3")
                    && e.getMessage().contains("size 3"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> x(DType.FLOAT32).gather(0, ints(it, new long[] {-1, 0}, 1, 2)));
            assertTrue(e.getMessage().contains("index -1") && e.getMessage().contains("size 2"), e.getMessage());
            Tensor self = x(DType.FLOAT64);
            e = assertThrows(IllegalArgumentException.class,
                    () -> self.scatterAdd(0, ints(it, new long[] {0, 5}, 1, 2), x(DType.FLOAT64)));
            assertTrue(e.getMessage().startsWith("scatter_add:") && e.getMessage().contains("index 5")
                    && e.getMessage().contains("size 2"), e.getMessage());
        }
    }

    @OnEachBackend
    void badArgumentsAreRefused(BackendUnderTest on) {
        Tensor x = x(DType.FLOAT32);
        assertThrows(IllegalArgumentException.class,
                () -> x.gather(1, tensor(DType.FLOAT32, new double[] {0, 1}, 2, 1)));
        assertThrows(IllegalArgumentException.class, () -> x.gather(1, ints(DType.INT64, new long[] {0, 1}, 2)));
        assertThrows(IllegalArgumentException.class, () -> x.gather(2, ints(DType.INT64, new long[] {0, 1}, 2, 1)));
        assertThrows(IllegalArgumentException.class, () -> x.gather(1, ints(DType.INT64, new long[] {0, 1, 1}, 3, 1)));
        assertThrows(IllegalArgumentException.class,
                () -> x.scatterAdd(1, ints(DType.INT64, new long[] {0, 1}, 2, 1), x(DType.FLOAT64)));
    }

    @OnEachBackend
    void gradientsPassFiniteDifferences(BackendUnderTest on) {
        Random r = new Random(3);
        Tensor x = uniform(r, DType.FLOAT64, -1, 1, 3, 4).requiresGrad(true);
        Tensor rows = ints(DType.INT64, new long[] {2, 2, 0, 1, 1, 0, 1, 2}, 2, 4);
        GradCheck.check(in -> in[0].gather(0, rows), x);
        Tensor cols = ints(DType.INT32, new long[] {3, 3, 0, 1, 2, 2}, 3, 2);
        GradCheck.check(in -> in[0].gather(1, cols).square(), x);
        Tensor src = uniform(r, DType.FLOAT64, -1, 1, 3, 3).requiresGrad(true);
        GradCheck.check(in -> in[0].scatterAdd(1, cols, in[1]).square(), x, src);
    }
}

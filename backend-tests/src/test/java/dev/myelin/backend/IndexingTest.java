package dev.myelin.backend;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;
import dev.myelin.testing.Parity;
import dev.myelin.testing.Parity.Pair;
import dev.myelin.testing.ParityWithCpu;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index kernels on each backend: gather and scatter-add along every dimension, on contiguous
 * and strided indexed tensors, int32 and int64 indices, bit for bit against the CPU's (scatter-add
 * adds in the same order); an out-of-range index is refused with the CPU's message, before anything
 * is written. The ops above them (torch.gather, scatter_add_, their gradients) are
 * {@code dev.myelin.ops.IndexOpsTest}.
 */
class IndexingTest {
    private static final int[] SHAPE = {6, 7, 5};

    /** Values of SHAPE, contiguous or as the transpose of a contiguous tensor of the permuted shape. */
    private static Pair indexed(long seed, DType dt, boolean strided) {
        return strided
                ? Parity.uniform(seed, dt, -2, 2, SHAPE[2], SHAPE[1], SHAPE[0]).map(t -> t.permute(2, 1, 0))
                : Parity.uniform(seed, dt, -2, 2, SHAPE);
    }

    @ParityWithCpu
    void gatherAlongEveryDimension(BackendUnderTest on) {
        Indexing cpu = Parity.cpu().indexing(), tested = on.backend().indexing();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (DType it : new DType[] {DType.INT32, DType.INT64}) {
                for (int dim = 0; dim < 3; dim++) {
                    for (boolean strided : new boolean[] {false, true}) {
                        int[] ishape = SHAPE.clone();
                        ishape[dim] = 9;
                        Pair x = indexed(dim + 1, dt, strided);
                        Pair index = Parity.indices(dim + 7, it, SHAPE[dim], ishape), out = Parity.poisoned(dt, ishape);
                        cpu.gather(x.cpu(), dim, index.cpu(), out.cpu());
                        tested.gather(x.tested(), dim, index.tested(), out.tested());
                        Parity.assertExact("gather " + dt + " " + it + " dim " + dim + (strided ? " strided" : ""),
                                out);
                    }
                }
            }
        }
    }

    @ParityWithCpu
    void scatterAddAlongEveryDimension(BackendUnderTest on) {
        Indexing cpu = Parity.cpu().indexing(), tested = on.backend().indexing();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (DType it : new DType[] {DType.INT32, DType.INT64}) {
                for (int dim = 0; dim < 3; dim++) {
                    for (boolean strided : new boolean[] {false, true}) {
                        int[] ishape = SHAPE.clone();
                        ishape[dim] = 11;  // more positions than slots: repeated indices accumulate
                        Pair out = indexed(dim + 3, dt, strided);
                        Pair index = Parity.indices(dim + 9, it, SHAPE[dim], ishape);
                        Pair src = Parity.uniform(dim + 5, dt, -1, 1, ishape);
                        cpu.scatterAdd(src.cpu(), dim, index.cpu(), out.cpu());
                        tested.scatterAdd(src.tested(), dim, index.tested(), out.tested());
                        Parity.assertExact("scatter_add " + dt + " " + it + " dim " + dim
                                + (strided ? " strided" : ""), out.map(t -> t.contiguous()));
                    }
                }
            }
        }
    }

    /**
     * An index outside [0, size) is an IllegalArgumentException naming the op, the value and the size,
     * with the CPU's message, and the output is left as it was (the kernels check before they write).
     */
    @OnEachBackend
    void anOutOfRangeIndexIsReportedAsTheCpuDoes(BackendUnderTest on) {
        Indexing cpu = Parity.cpu().indexing(), tested = on.backend().indexing();
        Pair x = Parity.uniform(1, DType.FLOAT32, -1, 1, 3, 4);
        for (DType it : new DType[] {DType.INT32, DType.INT64}) {
            for (double bad : new double[] {4, -1}) {
                Pair index = Parity.of(it, new double[] {0, 3, bad, 1, 1, 2}, 3, 2);
                String value = "index " + (long) bad;
                Pair out = Parity.poisoned(DType.FLOAT32, 3, 2);
                var cpuError = assertThrows(IllegalArgumentException.class,
                        () -> cpu.gather(x.cpu(), 1, index.cpu(), out.cpu()));
                var testedError = assertThrows(IllegalArgumentException.class,
                        () -> tested.gather(x.tested(), 1, index.tested(), out.tested()));
                assertMessage("gather", value, cpuError, testedError);
                Parity.assertExact("gather's output after the error", out);

                Pair self = Parity.copyOf(x);
                var cpuAdd = assertThrows(IllegalArgumentException.class,
                        () -> cpu.scatterAdd(out.cpu(), 1, index.cpu(), self.cpu()));
                var testedAdd = assertThrows(IllegalArgumentException.class,
                        () -> tested.scatterAdd(out.tested(), 1, index.tested(), self.tested()));
                assertMessage("scatter_add", value, cpuAdd, testedAdd);
                Parity.assertExact("scatter_add's output after the error", self);
                Parity.assertExact("scatter_add's output unchanged", new Pair(x.cpu(), self.tested()));
            }
        }
    }

    /**
     * Arguments outside the contract are refused as on the CPU: a float index,
     * shapes that do not fit, mixed dtypes.
     */
    @OnEachBackend
    void badArgumentsAreRefusedAsTheCpuDoes(BackendUnderTest on) {
        Indexing cpu = Parity.cpu().indexing(), tested = on.backend().indexing();
        Pair x = Parity.uniform(1, DType.FLOAT32, -1, 1, 3, 4), out = Parity.poisoned(DType.FLOAT32, 3, 2);
        Pair index = Parity.indices(2, DType.INT64, 4, 3, 2);
        Pair floatIndex = Parity.indices(2, DType.FLOAT32, 4, 3, 2), wideOut = Parity.poisoned(DType.FLOAT32, 3, 3);
        Pair narrowX = Parity.uniform(1, DType.FLOAT32, -1, 1, 2, 4), doubleOut = Parity.poisoned(DType.FLOAT64, 3, 2);
        sameError("gather", "'index' must be int32 or int64", (i, pick) -> i.gather(pick.apply(x), 1,
                pick.apply(floatIndex), pick.apply(out)), cpu, tested);
        sameError("gather", "'out' of shape [3, 3]", (i, pick) -> i.gather(pick.apply(x), 1, pick.apply(index),
                pick.apply(wideOut)), cpu, tested);
        sameError("gather", "the indexed tensor [2, 4]", (i, pick) -> i.gather(pick.apply(narrowX), 1,
                pick.apply(index), pick.apply(out)), cpu, tested);
        sameError("scatter_add", "'index' must be int32 or int64", (i, pick) -> i.scatterAdd(pick.apply(out), 1,
                pick.apply(floatIndex), pick.apply(x)), cpu, tested);
        sameError("scatter_add", "'src' of shape [3, 3]", (i, pick) -> i.scatterAdd(pick.apply(wideOut), 1,
                pick.apply(index), pick.apply(x)), cpu, tested);
        var e = assertThrows(IllegalArgumentException.class,
                () -> tested.gather(x.tested(), 1, index.tested(), doubleOut.tested()));
        assertTrue(e.getMessage().startsWith("gather:"), e.getMessage());
    }

    /** One call on either side: the index family and which side of each pair to pass. */
    @FunctionalInterface
    private interface Call {
        void run(Indexing family, Function<Pair, Tensor> pick);
    }

    private static void sameError(String op, String fragment, Call call, Indexing cpu, Indexing tested) {
        var cpuError = assertThrows(IllegalArgumentException.class, () -> call.run(cpu, Pair::cpu));
        var testedError = assertThrows(IllegalArgumentException.class, () -> call.run(tested, Pair::tested));
        assertEquals(cpuError.getMessage(), testedError.getMessage());
        String m = testedError.getMessage();
        assertTrue(m.startsWith(op + ":") && m.contains(fragment), m);
    }

    private static void assertMessage(String op, String value, IllegalArgumentException cpu,
                                      IllegalArgumentException tested) {
        assertEquals(cpu.getMessage(), tested.getMessage());
        String m = tested.getMessage();
        assertTrue(m.startsWith(op + ":") && m.contains(value) && m.contains("size 4"), m);
    }
}

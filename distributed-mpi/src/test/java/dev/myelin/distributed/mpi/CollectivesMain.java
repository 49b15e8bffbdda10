package dev.myelin.distributed.mpi;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;
import dev.myelin.distributed.Work;

import java.util.Arrays;
import java.util.List;

/**
 * One rank of the collectives test (run by {@link MpiRun} on 2 ranks). Each rank fills its tensors with
 * values that depend on its rank, runs a collective, and compares every element with the combination of
 * both ranks' values computed here in Java; a mismatch throws, which aborts the job (non-zero exit).
 * Prints "rank R: collectives ok" at the end.
 */
public final class CollectivesMain {
    private CollectivesMain() {}

    /** Rank r's value at flat index i: different per rank, so that MAX and MIN pick from both ranks. */
    static double value(int r, int i) {
        return r == 0 ? i * 0.5 - 3 : 7.25 - i * 0.75;
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessGroup g = Distributed.initProcessGroup("mpi");
        int r = g.rank();
        check(g.name().equals("mpi") && g.worldSize() == 2, "group " + g.name() + " of " + g.worldSize());
        check(String.valueOf(r).equals(System.getenv("OMPI_COMM_WORLD_RANK")), "rank " + r + " is not mpirun's");

        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (ReduceOp op : ReduceOp.values()) {
                Tensor t = filled(r, dtype, 3, 7);
                Work w = g.allReduce(List.of(t), op);
                w.await();
                check(w.isCompleted(), "isCompleted after await");
                expectReduced(t, op, 0, "allReduce " + op + " " + dtype);
            }
        }
        severalViewsInOneCall(g, r);
        twoInFlight(g, r);
        largerThanOneChunk(g, r);
        broadcastFromRankOne(g, r);

        long[] gathered = g.allGather(100 + 7L * r);
        check(Arrays.equals(gathered, new long[] {100, 107}), "allGather gave " + Arrays.toString(gathered));

        check(Arrays.equals(g.allReduce(new double[] {r, 2 * r + 1, -r}, ReduceOp.SUM), new double[] {1, 4, -1}),
                "allReduce(double[]) SUM");
        check(Arrays.equals(g.allReduce(new double[] {r, 2 * r + 1, -r}, ReduceOp.AVG),
                new double[] {0.5, 2, -0.5}), "allReduce(double[]) AVG");
        check(Arrays.equals(g.allReduce(new double[] {r, 2 * r + 1, -r}, ReduceOp.MAX), new double[] {1, 3, 0}),
                "allReduce(double[]) MAX");
        check(Arrays.equals(g.allReduce(new double[] {r, 2 * r + 1, -r}, ReduceOp.MIN), new double[] {0, 1, -1}),
                "allReduce(double[]) MIN");

        // rank 1 arrives late: rank 0's barrier must wait for it
        if (r == 1) Thread.sleep(600);
        long t0 = System.nanoTime();
        g.barrier();
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        if (r == 0) check(waitedMs >= 400, "barrier returned after " + waitedMs + " ms, before rank 1 arrived");

        // integer tensors (a batch norm's num_batches_tracked) reduce and broadcast exactly; their average is refused
        Tensor counts32 = Tensor.of(new int[] {r + 1, 10 * r}, 2);
        Tensor counts64 = Tensor.of(new long[] {(1L << 40) + r, -r}, 2);
        g.allReduce(List.of(counts32, counts64), ReduceOp.SUM).await();
        check(Arrays.equals(counts32.toLongArray(), new long[] {3, 10}), "int32 SUM " + Arrays.toString(
                counts32.toLongArray()));
        check(Arrays.equals(counts64.toLongArray(), new long[] {(1L << 41) + 1, -1}), "int64 SUM");
        Tensor tracked = Tensor.of(new long[] {100 + r}, 1);
        g.broadcast(List.of(tracked), 1).await();
        check(tracked.toLongArray()[0] == 101, "int64 broadcast from rank 1");
        try {
            g.allReduce(List.of(Tensor.zeros(DType.FLOAT32, 2), Tensor.zeros(DType.INT32, 2, 2)), ReduceOp.AVG);
            check(false, "the average of an int tensor was accepted");
        } catch (IllegalArgumentException e) {
            check(e.getMessage().contains("tensor 1") && e.getMessage().contains("[2, 2]"), e.getMessage());
        }

        Distributed.destroyProcessGroup();
        g.close(); // idempotent
        try {
            g.barrier();
            check(false, "barrier after close");
        } catch (IllegalStateException expected) {
            // closed
        }
        System.out.println("rank " + r + ": collectives ok");
    }

    /** Mixed dtypes and layouts in one call: a column slice, a float64 tensor, a transposed view. */
    private static void severalViewsInOneCall(ProcessGroup g, int r) {
        Tensor base = filled(r, DType.FLOAT32, 4, 6);
        Tensor columns = base.slice(1, 1, 4); // 4x3, row stride 6
        Tensor f64 = filled(r, DType.FLOAT64, 5);
        Tensor square = filled(r, DType.FLOAT32, 3, 3);
        Tensor transposed = square.t();
        check(!columns.isContiguous() && !transposed.isContiguous(), "the views should not be contiguous");
        g.allReduce(List.of(columns, f64, transposed), ReduceOp.SUM).await();
        float[] got = base.toFloatArray();
        for (int i = 0; i < 24; i++) {
            int col = i % 6;
            double want = col >= 1 && col < 4 ? (float) value(0, i) + (float) value(1, i) : (float) value(r, i);
            check(got[i] == (float) want, "slice view: element " + i + " is " + got[i] + ", expected " + want);
        }
        expectReduced(f64, ReduceOp.SUM, 0, "float64 beside float32");
        expectReduced(square, ReduceOp.SUM, 0, "transposed view (checked through its base)");
    }

    /** Two collectives started before either is awaited, awaited in reverse order. */
    private static void twoInFlight(ProcessGroup g, int r) {
        Tensor a = filled(r, DType.FLOAT32, 10);
        Tensor b = filled(r, DType.FLOAT64, 4, 2);
        Work wa = g.allReduce(List.of(a), ReduceOp.MAX);
        Work wb = g.allReduce(List.of(b), ReduceOp.MIN);
        wb.await();
        wa.await();
        expectReduced(a, ReduceOp.MAX, 0, "first of two in flight");
        expectReduced(b, ReduceOp.MIN, 0, "second of two in flight");
    }

    private static void largerThanOneChunk(ProcessGroup g, int r) {
        int n = (1 << 20) + 12_345; // a buffer larger than the earlier ones: the pool grows
        Tensor t = filled(r, DType.FLOAT32, n);
        g.allReduce(List.of(t), ReduceOp.AVG).await();
        expectReduced(t, ReduceOp.AVG, 0, "a tensor of " + n + " elements");
    }

    private static void broadcastFromRankOne(ProcessGroup g, int r) {
        Tensor plain = filled(r, DType.FLOAT32, 3, 5);
        Tensor base = filled(r, DType.FLOAT64, 4, 4);
        Tensor view = base.slice(0, 1, 3).t(); // non-contiguous 4x2 view of rows 1..2
        g.broadcast(List.of(plain, view), 1).await();
        float[] p = plain.toFloatArray();
        for (int i = 0; i < p.length; i++) {
            check(p[i] == (float) value(1, i), "broadcast: element " + i + " is " + p[i] + " on rank " + r);
        }
        double[] b = base.toDoubleArray();
        for (int i = 0; i < 16; i++) {
            int row = i / 4;
            double want = row == 1 || row == 2 ? value(1, i) : value(r, i);
            check(b[i] == want, "broadcast view: element " + i + " is " + b[i] + ", expected " + want);
        }
    }

    private static Tensor filled(int r, DType dtype, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        if (dtype == DType.FLOAT32) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) value(r, i);
            return Tensor.of(v, shape);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = value(r, i);
        return Tensor.of(v, shape);
    }

    /** Every element of {@code t} (flat index + shift) against op over both ranks' values, exactly. */
    private static void expectReduced(Tensor t, ReduceOp op, int shift, String what) {
        double[] got = t.toDoubleArray();
        boolean f32 = t.dtype() == DType.FLOAT32;
        for (int i = 0; i < got.length; i++) {
            double a = value(0, i + shift);
            double b = value(1, i + shift);
            double want;
            if (f32) {
                float fa = (float) a;
                float fb = (float) b;
                want = switch (op) {
                    case SUM -> fa + fb;
                    case AVG -> (fa + fb) / 2f;
                    case MAX -> Math.max(fa, fb);
                    case MIN -> Math.min(fa, fb);
                };
            } else {
                want = switch (op) {
                    case SUM -> a + b;
                    case AVG -> (a + b) / 2;
                    case MAX -> Math.max(a, b);
                    case MIN -> Math.min(a, b);
                };
            }
            check(got[i] == want, what + ": element " + i + " is " + got[i] + ", expected " + want);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }
}

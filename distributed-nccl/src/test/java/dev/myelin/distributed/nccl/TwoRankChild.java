package dev.myelin.distributed.nccl;

import dev.myelin.Device;
import dev.myelin.Tensor;
import dev.myelin.distributed.DistributedException;
import dev.myelin.distributed.ReduceOp;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * One rank of {@link TwoRanksTest}, in its own JVM: loads the stand-in driver, joins NCCL over a
 * {@link FileBootstrap}, runs the collectives on CUDA tensors and prints each result as a line
 * ({@code name: values}) for the parent to check. Arguments: rank, world size, exchange folder, driver path.
 */
public final class TwoRankChild {
    static final int LARGE = 300_000; // 1.2 MB of float32: more than one slot of the stand-in

    private TwoRankChild() {}

    /** Rank {@code rank}'s input: distinct per rank and element, integral so that sums are exact. */
    static float[] input(int rank, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (rank + 1) * 1000 + (i % 997) - 3 * rank * (i % 5);
        return x;
    }

    public static void main(String[] args) {
        int rank = Integer.parseInt(args[0]), size = Integer.parseInt(args[1]);
        System.load(args[3]);
        Device cuda = Device.cuda(0);
        try (NcclProcessGroup g = NcclProcessGroup.create(new FileBootstrap(Path.of(args[2]), rank, size), rank)) {
            Tensor f = Tensor.of(input(rank, 6), 2, 3).to(cuda);
            Tensor l = Tensor.of(new long[] {rank, 100L * (rank + 1), -7L * rank}, 3).to(cuda);
            g.allReduce(List.of(f, l), ReduceOp.SUM).await();
            print("sum-f32", f.toFloatArray());
            print("sum-i64", l.toLongArray());
            for (ReduceOp op : List.of(ReduceOp.AVG, ReduceOp.MAX, ReduceOp.MIN)) {
                Tensor d = Tensor.of(new double[] {rank + 0.5, -rank, 3.0 * rank * rank}, 3).to(cuda);
                g.allReduce(List.of(d), op).await();
                print(op.name().toLowerCase() + "-f64", d.toDoubleArray());
            }
            Tensor b = Tensor.of(input(rank, 4), 4).to(cuda);
            g.broadcast(List.of(b), 1).await();
            print("broadcast-from-1", b.toFloatArray());
            Tensor big = Tensor.of(input(rank, LARGE), LARGE).to(cuda);
            g.allReduce(List.of(big), ReduceOp.SUM).await();
            float[] bigOut = big.toFloatArray();
            print("large-sum-head-tail", new float[] {bigOut[0], bigOut[LARGE / 2], bigOut[LARGE - 1]});
            print("host-allgather", g.allGather(10L + rank));
            // Ranks that disagree on the shape: NCCL's error, with the op and the rank, on both.
            Tensor wrong = Tensor.of(new float[rank == 0 ? 3 : 4], rank == 0 ? 3 : 4).to(cuda);
            try {
                g.allReduce(List.of(wrong), ReduceOp.SUM).await();
                System.out.println("mismatch: no error");
            } catch (DistributedException e) {
                System.out.println("mismatch: " + e.getMessage());
            }
            g.barrier();
            // Rank 1 leaves; rank 0's next collective must fail within the stand-in's timeout, not hang.
            if (rank == 1) {
                System.out.println("done");
                System.out.flush();
                Runtime.getRuntime().halt(0);
            }
            long start = System.nanoTime();
            try {
                g.allReduce(List.of(f), ReduceOp.SUM).await();
                System.out.println("peer-gone: no error");
            } catch (DistributedException e) {
                System.out.println("peer-gone after " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                        + e.getMessage());
            }
            System.out.println("done");
            System.out.flush();
            Runtime.getRuntime().halt(0); // the communicator is broken: do not wait in close()
        }
    }

    private static void print(String name, float[] v) {
        System.out.println(name + ": " + Arrays.toString(v));
    }

    private static void print(String name, double[] v) {
        System.out.println(name + ": " + Arrays.toString(v));
    }

    private static void print(String name, long[] v) {
        System.out.println(name + ": " + Arrays.toString(v));
    }
}

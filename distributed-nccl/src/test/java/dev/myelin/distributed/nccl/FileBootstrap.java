package dev.myelin.distributed.nccl;

import dev.myelin.Tensor;
import dev.myelin.distributed.DistributedException;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;
import dev.myelin.distributed.Work;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A test-only bootstrap for ranks on one machine: every collective writes this rank's value to a file of a
 * shared folder (written whole, then renamed) and waits for every rank's file of the same round. It stands
 * in for the MPI transport, which this module cannot depend on; tensor collectives are NCCL's job.
 */
final class FileBootstrap implements ProcessGroup {
    private static final long TIMEOUT_NANOS = 30_000_000_000L;

    private final Path dir;
    private final int rank;
    private final int worldSize;
    private int round;

    FileBootstrap(Path dir, int rank, int worldSize) {
        this.dir = dir;
        this.rank = rank;
        this.worldSize = worldSize;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return worldSize;
    }

    @Override
    public int localRank() {
        return rank;
    }

    @Override
    public Work allReduce(List<Tensor> tensors, ReduceOp op) {
        throw new UnsupportedOperationException("FileBootstrap carries host values only");
    }

    @Override
    public Work broadcast(List<Tensor> tensors, int root) {
        throw new UnsupportedOperationException("FileBootstrap carries host values only");
    }

    @Override
    public void barrier() {
        exchange("");
    }

    @Override
    public long[] allGather(long value) {
        return exchange(Long.toString(value)).stream().mapToLong(Long::parseLong).toArray();
    }

    @Override
    public double[] allReduce(double[] values, ReduceOp op) {
        List<String> all = exchange(String.join(" ", Arrays.stream(values).mapToObj(Double::toString).toList()));
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            for (int r = 0; r < worldSize; r++) {
                double v = Double.parseDouble(all.get(r).split(" ")[i]);
                out[i] = r == 0 ? v : switch (op) {
                    case SUM, AVG -> out[i] + v;
                    case MAX -> Math.max(out[i], v);
                    case MIN -> Math.min(out[i], v);
                };
            }
            if (op == ReduceOp.AVG) out[i] /= worldSize;
        }
        return out;
    }

    @Override
    public void abort(String reason) {
        System.err.println("rank " + rank + ": aborting: " + reason);
        Runtime.getRuntime().halt(1);
    }

    @Override
    public void close() {}

    /** Every rank's {@code value} for this round, in rank order. */
    private List<String> exchange(String value) {
        int r = round++;
        try {
            Path tmp = dir.resolve("r" + r + "-" + rank + ".tmp");
            Files.writeString(tmp, value);
            Files.move(tmp, file(r, rank), StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + TIMEOUT_NANOS;
            List<String> out = new ArrayList<>();
            for (int peer = 0; peer < worldSize; peer++) {
                while (!Files.exists(file(r, peer))) {
                    if (System.nanoTime() > deadline) {
                        throw new DistributedException("file bootstrap: rank " + rank + " waited 30 s for rank "
                                + peer + " in round " + r);
                    }
                    Thread.sleep(2);
                }
                out.add(Files.readString(file(r, peer)));
            }
            return out;
        } catch (IOException e) {
            throw new DistributedException("file bootstrap: rank " + rank + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("file bootstrap: rank " + rank + " interrupted");
        }
    }

    private Path file(int r, int peer) {
        return dir.resolve("r" + r + "-" + peer);
    }
}

package dev.myelin.distributed;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Test fixture: N ranks as N threads of one JVM (PyTorch's threaded process group, for the same purpose),
 * their collectives meeting at a shared rendezvous. A tensor collective copies the caller's values when it is
 * called and returns at once; the last rank to arrive combines them (in double precision, then rounded to
 * the tensor's dtype: for two ranks exactly what a float32 sum or average gives), and each rank's
 * {@link Work#await()} writes the result into its own tensors. So a collective started during backward
 * really proceeds while that rank goes on computing.
 *
 * <p>What is per thread and what is shared, and so what tests on it must do:
 * <ul>
 *   <li>Per thread, so each rank has its own: {@code GradMode}, {@code MemoryScope}, the callbacks queued during
 *   a backward ({@code Autograd.queueCallback}).</li>
 *   <li>Process-wide: the default generator ({@code Myelin.manualSeed}, {@code Generator.defaultGenerator()}),
 *   which layers initialise from and dropout draws from unless given a generator; ranks drawing from it at
 *   once interleave at random. Tests give each rank's layers their own {@code Generator}, or build models on
 *   the main thread.</li>
 *   <li>Process-wide: {@link Distributed#group()} (one per process); tests pass the rank's group explicitly.</li>
 *   <li>The CPU backend's thread pool and array pool are shared and thread-safe: the ranks' kernels only
 *   compete for the cores, which makes nothing here a benchmark.</li>
 * </ul>
 */
final class ThreadedProcessGroup implements ProcessGroup {
    private final World world;
    private final int rank;
    private long sequence;
    private boolean closed;

    private ThreadedProcessGroup(World world, int rank) {
        this.world = world;
        this.rank = rank;
    }

    /** The ranks of one job and their rendezvous; also a log that tests and the fixture write events to. */
    static final class World {
        final int size;
        private final Duration timeout;
        private final Map<Long, Meeting> meetings = new HashMap<>();
        private final List<String> events = Collections.synchronizedList(new ArrayList<>());
        private Throwable failure;

        World(int size) {
            this(size, Duration.ofSeconds(30));
        }

        World(int size, Duration timeout) {
            this.size = size;
            this.timeout = timeout;
        }

        /** Appends an event to the shared log, in the order events happen across all ranks. */
        void record(String event) {
            events.add(event);
        }

        List<String> events() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        /**
         * Runs {@code body} on every rank, each on its own thread, and returns their results in rank order.
         * A rank that throws fails every collective in flight, so that the others stop at once; the first
         * failure is rethrown (a {@link DistributedException} as itself, others wrapped with the rank).
         */
        <T> List<T> run(Function<ThreadedProcessGroup, T> body) {
            List<CompletableFuture<T>> results = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                ThreadedProcessGroup group = new ThreadedProcessGroup(this, r);
                CompletableFuture<T> result = new CompletableFuture<>();
                results.add(result);
                Thread t = new Thread(() -> {
                    try {
                        result.complete(body.apply(group));
                    } catch (Throwable e) {
                        fail(e);
                        result.completeExceptionally(e);
                    }
                }, "rank-" + r);
                threads.add(t);
                t.start();
            }
            List<T> out = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                try {
                    out.add(results.get(r).get(timeout.toMillis() * 4, TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    for (Thread t : threads) joinQuietly(t);
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new AssertionError("rank " + r + " failed", e.getCause());
                } catch (InterruptedException | TimeoutException e) {
                    fail(e);
                    throw new AssertionError("rank " + r + " did not finish", e);
                }
            }
            return out;
        }

        private static void joinQuietly(Thread t) {
            try {
                t.join(10_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }

        /** Fails every meeting now open and every later one. */
        synchronized void fail(Throwable cause) {
            if (failure == null) failure = cause;
            for (Meeting m : meetings.values()) m.result.completeExceptionally(failure);
            meetings.clear();
        }

        /** Rank's contribution to its {@code sequence}-th collective; the last to arrive combines them. */
        synchronized Meeting arrive(long sequence, int rank, String kind, Object contribution,
                Function<Object[], Object> combine) {
            if (failure != null) throw new DistributedException("rank " + rank + ": " + kind + ": the job failed",
                    failure);
            Meeting m = meetings.computeIfAbsent(sequence, k -> new Meeting(kind, size));
            if (!m.kind.equals(kind)) {
                var e = new DistributedException("rank " + rank + " called " + kind + " as collective #" + sequence
                        + " where another rank called " + m.kind);
                fail(e);
                throw e;
            }
            m.contributions[rank] = contribution;
            if (++m.arrived == size) {
                meetings.remove(sequence);
                try {
                    m.result.complete(combine.apply(m.contributions));
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
            return m;
        }

        /** The combined value of a meeting, waiting at most the timeout. */
        Object await(Meeting m, int rank) {
            try {
                return m.result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new DistributedException("rank " + rank + ": " + m.kind + " failed: " + e.getCause(),
                        e.getCause());
            } catch (TimeoutException e) {
                List<Integer> missing = new ArrayList<>();
                synchronized (this) {
                    for (int r = 0; r < size; r++) if (m.contributions[r] == null) missing.add(r);
                }
                throw new DistributedException("rank " + rank + ": " + m.kind + " timed out after " + timeout
                        + " waiting for ranks " + missing);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DistributedException("rank " + rank + ": interrupted in " + m.kind, e);
            }
        }
    }

    /** One collective: what each rank brought and, once all have, the combined value. */
    static final class Meeting {
        final String kind;
        final Object[] contributions;
        int arrived;
        final CompletableFuture<Object> result = new CompletableFuture<>();

        Meeting(String kind, int size) {
            this.kind = kind;
            this.contributions = new Object[size];
        }
    }

    World world() {
        return world;
    }

    @Override
    public String name() {
        return "threaded";
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int worldSize() {
        return world.size;
    }

    @Override
    public int localRank() {
        return rank;
    }

    @Override
    public Work allReduce(List<Tensor> tensors, ReduceOp op) {
        checkOpen("allReduce");
        world.record("rank " + rank + " allReduce " + tensors.size() + " tensors of " + numel(tensors));
        Meeting m = world.arrive(sequence++, rank, "allReduce(" + op + ", " + shapes(tensors) + ")",
                snapshot(tensors), all -> reduce(all, op));
        return new Delivery(m, tensors);
    }

    @Override
    public Work broadcast(List<Tensor> tensors, int root) {
        checkOpen("broadcast");
        if (root < 0 || root >= world.size) {
            throw new IllegalArgumentException("broadcast: root " + root + " is not a rank of a world of "
                    + world.size);
        }
        world.record("rank " + rank + " broadcast");
        Meeting m = world.arrive(sequence++, rank, "broadcast(" + root + ", " + shapes(tensors) + ")",
                snapshot(tensors), all -> all[root]);
        return new Delivery(m, tensors);
    }

    @Override
    public void barrier() {
        checkOpen("barrier");
        world.await(world.arrive(sequence++, rank, "barrier", Boolean.TRUE, all -> Boolean.TRUE), rank);
    }

    @Override
    public long[] allGather(long value) {
        checkOpen("allGather");
        Meeting m = world.arrive(sequence++, rank, "allGather", value, all -> {
            long[] out = new long[all.length];
            for (int r = 0; r < all.length; r++) out[r] = (Long) all[r];
            return out;
        });
        return ((long[]) world.await(m, rank)).clone();
    }

    @Override
    public double[] allReduce(double[] values, ReduceOp op) {
        checkOpen("allReduce");
        Meeting m = world.arrive(sequence++, rank, "allReduce(" + op + ", double[" + values.length + "])",
                new double[][] {values.clone()}, all -> reduce(all, op));
        return ((double[][]) world.await(m, rank))[0].clone();
    }

    @Override
    public void abort(String reason) {
        var e = new DistributedException("rank " + rank + ": aborting: " + reason);
        world.fail(e);
        throw e;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen(String op) {
        if (closed) throw new IllegalStateException(op + ": the process group was closed");
    }

    /** Writes the combined values into this rank's tensors when awaited. */
    private final class Delivery implements Work {
        private final Meeting meeting;
        private final List<Tensor> tensors;
        private boolean written;

        Delivery(Meeting meeting, List<Tensor> tensors) {
            this.meeting = meeting;
            this.tensors = tensors;
        }

        @Override
        public void await() {
            double[][] values = (double[][]) world.await(meeting, rank);
            if (written) return;
            written = true;
            try (var ng = GradMode.noGrad()) {
                for (int i = 0; i < tensors.size(); i++) {
                    Tensor t = tensors.get(i);
                    t.copyFrom(Tensor.of(values[i], t.shape()));
                }
            }
        }

        @Override
        public boolean isCompleted() {
            return meeting.result.isDone();
        }
    }

    private static double[][] snapshot(List<Tensor> tensors) {
        double[][] out = new double[tensors.size()][];
        for (int i = 0; i < out.length; i++) out[i] = tensors.get(i).toDoubleArray();
        return out;
    }

    private static double[][] reduce(Object[] all, ReduceOp op) {
        double[][] first = (double[][]) all[0];
        double[][] out = new double[first.length][];
        for (int i = 0; i < first.length; i++) {
            out[i] = first[i].clone();
            for (int r = 1; r < all.length; r++) {
                double[] other = ((double[][]) all[r])[i];
                for (int j = 0; j < out[i].length; j++) {
                    out[i][j] = switch (op) {
                        case SUM, AVG -> out[i][j] + other[j];
                        case MAX -> Math.max(out[i][j], other[j]);
                        case MIN -> Math.min(out[i][j], other[j]);
                    };
                }
            }
            if (op == ReduceOp.AVG) for (int j = 0; j < out[i].length; j++) out[i][j] /= all.length;
        }
        return out;
    }

    private static long numel(List<Tensor> tensors) {
        long n = 0;
        for (Tensor t : tensors) n += t.numel();
        return n;
    }

    private static String shapes(List<Tensor> tensors) {
        StringBuilder out = new StringBuilder("[");
        for (Tensor t : tensors) {
            if (out.length() > 1) out.append(", ");
            out.append(dev.myelin.Shape.str(t.shape())).append(t.dtype() == DType.FLOAT32 ? "" : " " + t.dtype());
        }
        return out.append(']').toString();
    }
}

package dev.myelin.distributed.mpi;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.distributed.Distributed;
import dev.myelin.distributed.DistributedException;
import dev.myelin.distributed.LaunchEnvironment;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;
import dev.myelin.distributed.Work;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A process group over MPI_COMM_WORLD. One daemon thread makes every MPI call (MPI is initialised there
 * with MPI_THREAD_FUNNELED), so collectives run in the order they were called, while the callers go on
 * (the backward pass keeps computing while a gradient bucket is reduced).
 *
 * <p>Faults end the whole job rather than hang it: a collective that does not finish within
 * {@link Distributed#timeout()} throws and aborts the job; an exception no one catches, in any thread,
 * prints this rank and aborts the job (MPI_Abort makes mpirun end every rank with a non-zero status); a rank
 * that dies is noticed by mpirun, which ends the others. {@link #close()} finalises MPI, and so does a
 * shutdown hook when the program ends without closing (a rank that exits without MPI_Finalize fails the
 * job).
 */
public final class MpiProcessGroup implements ProcessGroup {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** How long MPI_Abort may take before the process halts itself (its non-zero exit ends the job too). */
    private static final long ABORT_GRACE_MS = 10_000;
    /** Elements per MPI call: MPI's counts are C ints. */
    private static final long MAX_COUNT = 1L << 30;

    private enum State { OPEN, CLOSED, BROKEN }

    private final Mpi mpi;
    private final ExecutorService comm;
    private final int rank;
    private final int worldSize;
    private final int localRank;
    private volatile State state = State.OPEN;
    private final AtomicBoolean finalized = new AtomicBoolean();
    private final AtomicBoolean aborting = new AtomicBoolean();
    private final Thread.UncaughtExceptionHandler previousHandler;
    private final Thread.UncaughtExceptionHandler faultHandler = this::uncaught;
    private final Thread shutdownHook;
    private final StagingBuffers buffers = new StagingBuffers();

    private MpiProcessGroup(Mpi mpi, ExecutorService comm, int rank, int worldSize, int localRank) {
        this.mpi = mpi;
        this.comm = comm;
        this.rank = rank;
        this.worldSize = worldSize;
        this.localRank = localRank;
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(faultHandler);
        shutdownHook = new Thread(this::closeAtExit, "myelin-mpi-finalize");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Initialises MPI on a new communication thread and joins MPI_COMM_WORLD; checks that the launcher's
     * rank and size are MPI's. Once per process: MPI cannot start again after MPI_Finalize.
     */
    static MpiProcessGroup start(Mpi mpi, LaunchEnvironment launch) {
        if (!STARTED.compareAndSet(false, true)) {
            throw new IllegalStateException("mpi: MPI was already started in this process, and it cannot start "
                    + "twice (MPI_Finalize is final): join one MPI process group per process");
        }
        ExecutorService comm = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "myelin-mpi");
            t.setDaemon(true); // never keeps the JVM alive after main
            return t;
        });
        int[] started;
        try {
            started = comm.submit(() -> {
                int provided = mpi.initThread();
                return new int[] {provided, mpi.commRank(), mpi.commSize()};
            }).get(Distributed.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            System.err.println("myelin: rank " + launch.rank() + " of " + launch.worldSize() + ": MPI_Init_thread "
                    + "did not finish within " + seconds(Distributed.timeout()) + " (not all ranks started?)");
            Runtime.getRuntime().halt(1);
            throw new AssertionError("unreachable");
        } catch (ExecutionException e) {
            comm.shutdown();
            throw new DistributedException("mpi: rank " + launch.rank() + ": MPI_Init_thread failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("mpi: interrupted while MPI_Init_thread ran", e);
        }
        MpiProcessGroup group = new MpiProcessGroup(mpi, comm, started[1], started[2], launch.localRank());
        if (started[0] < Mpi.THREAD_FUNNELED) {
            throw new DistributedException(group.who() + ": this MPI provides thread level " + started[0]
                    + ", below MPI_THREAD_FUNNELED (1) that the communication thread needs");
        }
        checkLaunch(launch, started[1], started[2]);
        return group;
    }

    /** The launcher's view and MPI's must agree, or the environment came from another job. */
    static void checkLaunch(LaunchEnvironment launch, int mpiRank, int mpiSize) {
        if (launch.rank() == mpiRank && launch.worldSize() == mpiSize) return;
        throw new DistributedException("mpi: the launcher (" + launch.launcher() + ") says rank " + launch.rank()
                + " of " + launch.worldSize() + ", but MPI_COMM_WORLD has this process as rank " + mpiRank + " of "
                + mpiSize + ": the launcher's variables come from another job (a nested mpirun?) or another "
                + "launcher than the one that started MPI");
    }

    @Override
    public String name() {
        return "mpi";
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
        return localRank;
    }

    @Override
    public Work allReduce(List<Tensor> tensors, ReduceOp op) {
        if (op == null) throw new IllegalArgumentException("allReduce: op is null");
        String name = "allReduce(" + op + ")";
        checkOpen(name);
        if (op == ReduceOp.AVG) refuseIntegers(name, tensors);
        Staging staging = new Staging(name, tensors, true, buffers);
        if (staging.parts().isEmpty()) {
            staging.close();
            return Work.completed();
        }
        CompletableFuture<Void> done = submit(name, () -> {
            for (Staging.Part p : staging.parts()) {
                MemorySegment type = type(p);
                for (long at = 0; at < p.numel(); at += MAX_COUNT) {
                    int n = (int) Math.min(MAX_COUNT, p.numel() - at);
                    mpi.allreduceInPlace(slice(p, at, n), n, type, op);
                }
                if (op == ReduceOp.AVG) divide(p, worldSize);
            }
            return null;
        });
        return new MpiWork(this, name, done, staging, true);
    }

    @Override
    public Work broadcast(List<Tensor> tensors, int root) {
        String name = "broadcast(root " + root + ")";
        checkOpen(name);
        if (root < 0 || root >= worldSize) {
            throw new IllegalArgumentException("broadcast: root " + root + " is not a rank of a world of "
                    + worldSize);
        }
        Staging staging = new Staging(name, tensors, rank == root, buffers);
        if (staging.parts().isEmpty()) {
            staging.close();
            return Work.completed();
        }
        CompletableFuture<Void> done = submit(name, () -> {
            for (Staging.Part p : staging.parts()) {
                for (long at = 0; at < p.numel(); at += MAX_COUNT) {
                    int n = (int) Math.min(MAX_COUNT, p.numel() - at);
                    mpi.bcast(slice(p, at, n), n, type(p), root);
                }
            }
            return null;
        });
        return new MpiWork(this, name, done, staging, rank != root);
    }

    @Override
    public void barrier() {
        checkOpen("barrier");
        await("barrier", submit("barrier", () -> {
            mpi.barrier();
            return null;
        }));
    }

    @Override
    public long[] allGather(long value) {
        checkOpen("allGather");
        return await("allGather", submit("allGather", () -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment send = arena.allocateFrom(JAVA_LONG, value);
                MemorySegment recv = arena.allocate(JAVA_LONG, worldSize);
                mpi.allgatherOne(send, recv, mpi.int64);
                return recv.toArray(JAVA_LONG);
            }
        }));
    }

    @Override
    public double[] allReduce(double[] values, ReduceOp op) {
        if (values == null) throw new IllegalArgumentException("allReduce: values is null");
        if (op == null) throw new IllegalArgumentException("allReduce: op is null");
        String name = "allReduce(" + op + ", " + values.length + " values)";
        checkOpen(name);
        if (values.length == 0) return new double[0];
        double[] copy = values.clone();
        return await(name, submit(name, () -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buf = arena.allocateFrom(JAVA_DOUBLE, copy);
                mpi.allreduceInPlace(buf, copy.length, mpi.float64, op);
                double[] out = buf.toArray(JAVA_DOUBLE);
                if (op == ReduceOp.AVG) {
                    for (int i = 0; i < out.length; i++) out[i] /= worldSize;
                }
                return out;
            }
        }));
    }

    @Override
    public void abort(String reason) {
        System.err.println("myelin: rank " + rank + " of " + worldSize + " aborts the job: " + reason);
        abortJob(1);
    }

    /** MPI_Finalize, on the communication thread after every collective queued before it. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (state != State.OPEN) return;
            state = State.CLOSED;
        }
        try {
            await("close (MPI_Finalize)", submit("close", () -> {
                mpi.finalizeMpi();
                finalized.set(true);
                return null;
            }));
        } finally {
            comm.shutdown();
            buffers.close();
            if (Thread.getDefaultUncaughtExceptionHandler() == faultHandler) { // unless someone replaced it since
                Thread.setDefaultUncaughtExceptionHandler(previousHandler);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // shutting down already: this is the hook
            }
        }
    }

    /** Waits for a collective at most the timeout; a timeout breaks the group and aborts the job. */
    <T> T await(String op, CompletableFuture<T> done) {
        Duration timeout = Distributed.timeout();
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw timedOut(op, timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new DistributedException(who() + ": " + op + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException(who() + ": interrupted while waiting for " + op, e);
        }
    }

    private DistributedException timedOut(String op, Duration timeout) {
        state = State.BROKEN;
        DistributedException e = new DistributedException(who() + ": " + op + " did not finish within "
                + seconds(timeout) + " (MYELIN_DIST_TIMEOUT): another rank died, hangs, or did not call it (every "
                + "rank must call the same collectives in the same order); aborting the job");
        System.err.println("myelin: " + e);
        Thread aborter = new Thread(() -> abortJob(1), "myelin-mpi-abort");
        aborter.setDaemon(true);
        aborter.start();
        return e;
    }

    private void uncaught(Thread thread, Throwable e) {
        StringWriter stack = new StringWriter();
        e.printStackTrace(new PrintWriter(stack));
        System.err.print("myelin: rank " + rank + " of " + worldSize + " failed: " + stack
                + (thread.getName().equals("main") ? "" : "(in thread " + thread.getName() + ")\n"));
        abortJob(1);
    }

    /** Ends every rank: MPI_Abort, and halt if that has not ended this process within the grace. */
    private void abortJob(int code) {
        System.out.flush();
        System.err.flush();
        if (aborting.compareAndSet(false, true)) {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(ABORT_GRACE_MS);
                } catch (InterruptedException ignored) {
                    // halt anyway
                }
                Runtime.getRuntime().halt(code);
            }, "myelin-mpi-abort-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            state = State.BROKEN;
            // From whichever thread fails: the communication thread may be stuck in a collective. Open MPI's
            // MPI_Abort only asks the launcher to end the job, which is safe beside a blocked call.
            if (!finalized.get()) {
                try {
                    mpi.abort(code);
                } catch (Throwable t) {
                    System.err.println("myelin: rank " + rank + ": MPI_Abort failed (" + t + "); halting");
                }
            }
            Runtime.getRuntime().halt(code);
        }
        while (true) { // another thread is aborting; its watchdog halts the process
            try {
                Thread.sleep(ABORT_GRACE_MS);
            } catch (InterruptedException ignored) {
                // keep waiting for the end
            }
        }
    }

    private void closeAtExit() {
        if (state != State.OPEN) return;
        try {
            close();
        } catch (RuntimeException e) {
            // The JVM would exit with its own status before the job is aborted: abort here, synchronously.
            System.err.println("myelin: rank " + rank + " of " + worldSize + ": MPI_Finalize at exit failed: " + e);
            abortJob(1);
        }
    }

    private <T> CompletableFuture<T> submit(String op, Callable<T> call) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            comm.execute(() -> {
                try {
                    done.complete(call.call());
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException(op + ": the process group was closed", e);
        }
        return done;
    }

    private void checkOpen(String op) {
        switch (state) {
            case OPEN -> { }
            case CLOSED -> throw new IllegalStateException(op + ": the process group was closed");
            case BROKEN -> throw new DistributedException(who() + ": " + op + ": an earlier collective failed and "
                    + "the job is being aborted");
        }
    }

    private String who() {
        return "rank " + rank + " of " + worldSize;
    }

    private MemorySegment type(Staging.Part p) {
        return switch (p.dtype()) {
            case FLOAT32 -> mpi.float32;
            case FLOAT64 -> mpi.float64;
            case INT32 -> mpi.int32;
            case INT64 -> mpi.int64;
        };
    }

    /** AVG of integers has no exact answer; PyTorch refuses it too. */
    private static void refuseIntegers(String op, List<Tensor> tensors) {
        for (int i = 0; tensors != null && i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t != null && !t.dtype().isFloating()) {
                throw new IllegalArgumentException(op + ": tensor " + i + " (shape " + Shape.str(t.shape()) + ", "
                        + t.dtype() + ") is an integer tensor, whose average is not an integer; use SUM");
            }
        }
    }

    private static MemorySegment slice(Staging.Part p, long at, int n) {
        long bytes = p.dtype().byteSize();
        return p.buffer().asSlice(at * bytes, n * bytes);
    }

    /** AVG is SUM divided by the world size, as PyTorch's gloo does it. */
    private static void divide(Staging.Part p, int worldSize) {
        MemorySegment b = p.buffer();
        if (p.dtype() == DType.FLOAT32) {
            for (long i = 0; i < p.numel(); i++) b.setAtIndex(JAVA_FLOAT, i, b.getAtIndex(JAVA_FLOAT, i) / worldSize);
        } else {
            for (long i = 0; i < p.numel(); i++) {
                b.setAtIndex(JAVA_DOUBLE, i, b.getAtIndex(JAVA_DOUBLE, i) / worldSize);
            }
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms / 1000.0 + " s";
    }
}

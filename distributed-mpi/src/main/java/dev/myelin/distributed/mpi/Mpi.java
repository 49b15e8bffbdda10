package dev.myelin.distributed.mpi;

import dev.myelin.distributed.DistributedException;
import dev.myelin.distributed.ReduceOp;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The few MPI calls the process group needs, as java.lang.foreign downcalls into Open MPI's libmpi.
 *
 * <p>Why not Open MPI's own Java bindings: Debian ships only their JNI half ({@code libmpi_java.so} in
 * libopenmpi3, and {@code mpijavac}), not the {@code mpi.jar} that holds the classes, and no Maven repository
 * publishes it; they also copy through JNI arrays. The C API we need is ten functions, so binding it here
 * costs less than building and shipping that jar.
 *
 * <p>Open MPI's ABI (mpi.h of 4.1): a handle is the address of a global object, e.g.
 * {@code MPI_COMM_WORLD == &ompi_mpi_comm_world}, {@code MPI_FLOAT == &ompi_mpi_float},
 * {@code MPI_SUM == &ompi_mpi_op_sum}; {@code MPI_IN_PLACE == (void *) 1}. MPICH's ABI (integer handles)
 * differs: a libmpi without {@code ompi_mpi_comm_world} is refused. Every call but {@link #abort} must come
 * from the one communication thread (MPI_THREAD_FUNNELED).
 */
@SuppressWarnings("restricted") // downcalls into libmpi; the JVM runs with --enable-native-access=ALL-UNNAMED
final class Mpi {
    static final int THREAD_FUNNELED = 1;
    static final MemorySegment IN_PLACE = MemorySegment.ofAddress(1);

    final String location;
    final MemorySegment commWorld;
    final MemorySegment float32;
    final MemorySegment float64;
    /** MPI_INT32_T / MPI_INT64_T: exactly a Java int / long (MPI_INT and MPI_LONG match here, not by definition). */
    final MemorySegment int32;
    final MemorySegment int64;
    private final MemorySegment opSum;
    private final MemorySegment opMax;
    private final MemorySegment opMin;

    private final MethodHandle initThread;
    private final MethodHandle finalizeHandle;
    private final MethodHandle commRank;
    private final MethodHandle commSize;
    private final MethodHandle allreduce;
    private final MethodHandle bcast;
    private final MethodHandle barrier;
    private final MethodHandle allgather;
    private final MethodHandle abortHandle;
    private final MethodHandle errorString;

    Mpi(SymbolLookup lib, String location) {
        this.location = location;
        commWorld = symbol(lib, "ompi_mpi_comm_world");
        float32 = symbol(lib, "ompi_mpi_float");
        float64 = symbol(lib, "ompi_mpi_double");
        int32 = symbol(lib, "ompi_mpi_int32_t");
        int64 = symbol(lib, "ompi_mpi_int64_t");
        opSum = symbol(lib, "ompi_mpi_op_sum");
        opMax = symbol(lib, "ompi_mpi_op_max");
        opMin = symbol(lib, "ompi_mpi_op_min");
        initThread = function(lib, "MPI_Init_thread", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS));
        finalizeHandle = function(lib, "MPI_Finalize", FunctionDescriptor.of(JAVA_INT));
        commRank = function(lib, "MPI_Comm_rank", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        commSize = function(lib, "MPI_Comm_size", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        allreduce = function(lib, "MPI_Allreduce", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
                ADDRESS, ADDRESS, ADDRESS));
        bcast = function(lib, "MPI_Bcast", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                ADDRESS));
        barrier = function(lib, "MPI_Barrier", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        allgather = function(lib, "MPI_Allgather", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        abortHandle = function(lib, "MPI_Abort", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        errorString = function(lib, "MPI_Error_string", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS,
                ADDRESS));
    }

    /** MPI_Init_thread(NULL, NULL, FUNNELED): returns the thread level MPI provides. */
    int initThread() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment provided = arena.allocate(JAVA_INT);
            check((int) initThread.invokeExact(MemorySegment.NULL, MemorySegment.NULL, THREAD_FUNNELED, provided),
                    "MPI_Init_thread");
            return provided.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t, "MPI_Init_thread");
        }
    }

    void finalizeMpi() {
        try {
            check((int) finalizeHandle.invokeExact(), "MPI_Finalize");
        } catch (Throwable t) {
            throw rethrow(t, "MPI_Finalize");
        }
    }

    int commRank() {
        return intOut(commRank, "MPI_Comm_rank");
    }

    int commSize() {
        return intOut(commSize, "MPI_Comm_size");
    }

    /** MPI_Allreduce in place over {@code count} elements of {@code type} at {@code buffer}. */
    void allreduceInPlace(MemorySegment buffer, int count, MemorySegment type, ReduceOp op) {
        MemorySegment mpiOp = switch (op) {
            case SUM, AVG -> opSum;
            case MAX -> opMax;
            case MIN -> opMin;
        };
        try {
            check((int) allreduce.invokeExact(IN_PLACE, buffer, count, type, mpiOp, commWorld), "MPI_Allreduce");
        } catch (Throwable t) {
            throw rethrow(t, "MPI_Allreduce");
        }
    }

    void bcast(MemorySegment buffer, int count, MemorySegment type, int root) {
        try {
            check((int) bcast.invokeExact(buffer, count, type, root, commWorld), "MPI_Bcast");
        } catch (Throwable t) {
            throw rethrow(t, "MPI_Bcast");
        }
    }

    void barrier() {
        try {
            check((int) barrier.invokeExact(commWorld), "MPI_Barrier");
        } catch (Throwable t) {
            throw rethrow(t, "MPI_Barrier");
        }
    }

    /** MPI_Allgather of one element of {@code type} per rank from {@code send} into {@code recv}. */
    void allgatherOne(MemorySegment send, MemorySegment recv, MemorySegment type) {
        try {
            check((int) allgather.invokeExact(send, 1, type, recv, 1, type, commWorld), "MPI_Allgather");
        } catch (Throwable t) {
            throw rethrow(t, "MPI_Allgather");
        }
    }

    /** MPI_Abort(MPI_COMM_WORLD, code): the launcher ends every rank. Does not return when it works. */
    void abort(int code) throws Throwable {
        int rc = (int) abortHandle.invokeExact(commWorld, code);
        throw new DistributedException("MPI_Abort returned " + rc);
    }

    private int intOut(MethodHandle h, String call) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            check((int) h.invokeExact(commWorld, out), call);
            return out.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t, call);
        }
    }

    private void check(int rc, String call) {
        if (rc == 0) return;
        String text;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(JAVA_BYTE, 512); // MPI_MAX_ERROR_STRING is 256 in Open MPI
            MemorySegment len = arena.allocate(JAVA_INT);
            int ignored = (int) errorString.invokeExact(rc, buf, len);
            text = buf.getString(0);
        } catch (Throwable t) {
            text = "error";
        }
        throw new DistributedException("mpi: " + call + " failed: " + text + " (" + rc + ")");
    }

    private static RuntimeException rethrow(Throwable t, String call) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new DistributedException("mpi: " + call + " failed: " + t, t);
    }

    private MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("mpi: " + location + " has no symbol "
                + name + ": not Open MPI (MPICH and its derivatives have another ABI); this transport needs Open MPI"
                + " 4 or 5"));
    }

    private MethodHandle function(SymbolLookup lib, String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(symbol(lib, name), descriptor);
    }
}

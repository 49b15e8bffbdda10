package dev.myelin.distributed.nccl;

import dev.myelin.cuda.runtime.NativeLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * NCCL's C functions (libnccl.so.2) as java.lang.foreign downcalls. Each returns NCCL's result code
 * ({@code ncclResult_t}, 0 for success); {@link NcclComm} turns codes into exceptions. Device buffers and
 * the stream are raw addresses, as the CUDA backend hands them out.
 */
// Native access (downcalls, reading C strings) is this class's job; the JVM runs with
// --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
final class Nccl {
    /** The size of {@code ncclUniqueId}: {@code struct { char internal[128]; }}. */
    static final int UNIQUE_ID_BYTES = 128;
    /** ncclAvg exists since NCCL 2.10.0 (version code 21000). */
    static final int AVG_SINCE_VERSION = 21000;
    static final int IN_PROGRESS = 7;

    private static final StructLayout UNIQUE_ID =
            MemoryLayout.structLayout(MemoryLayout.sequenceLayout(UNIQUE_ID_BYTES, JAVA_BYTE).withName("internal"));

    private final String location;
    private final int version;
    private final MethodHandle getUniqueId;
    private final MethodHandle commInitRank;
    private final MethodHandle allReduce;
    private final MethodHandle broadcast;
    private final MethodHandle groupStart;
    private final MethodHandle groupEnd;
    private final MethodHandle commDestroy;
    private final MethodHandle commAbort;
    private final MethodHandle commGetAsyncError;
    private final MethodHandle errorString;

    Nccl(NativeLibrary lib) {
        location = lib.location();
        getUniqueId = lib.function("ncclGetUniqueId", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // ncclCommInitRank(ncclComm_t* comm, int nranks, ncclUniqueId commId, int rank): the id by value.
        commInitRank = lib.function("ncclCommInitRank",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, UNIQUE_ID, JAVA_INT));
        // (sendbuff, recvbuff, count, datatype, op, comm, stream)
        allReduce = lib.function("ncclAllReduce",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        // (sendbuff, recvbuff, count, datatype, root, comm, stream)
        broadcast = lib.function("ncclBroadcast",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        groupStart = lib.function("ncclGroupStart", FunctionDescriptor.of(JAVA_INT));
        groupEnd = lib.function("ncclGroupEnd", FunctionDescriptor.of(JAVA_INT));
        commDestroy = lib.function("ncclCommDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        commAbort = lib.function("ncclCommAbort", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        commGetAsyncError = lib.function("ncclCommGetAsyncError", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        errorString = lib.function("ncclGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        MethodHandle getVersion = lib.function("ncclGetVersion", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            int rc = (int) getVersion.invokeExact(out);
            if (rc != 0) throw new IllegalStateException("nccl: ncclGetVersion failed in " + location + ": "
                    + errorString(rc));
            version = out.get(JAVA_INT, 0);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("nccl: ncclGetVersion failed in " + location + ": " + t, t);
        }
    }

    /** Where the library was loaded from. */
    String location() {
        return location;
    }

    /** NCCL's version code: major * 10000 + minor * 100 + patch (e.g. 22304 for 2.23.4). */
    int version() {
        return version;
    }

    /** "2.23.4" from the version code (codes before 2.9 were major * 1000 + minor * 100 + patch). */
    String versionString() {
        return version >= 20900 ? version / 10000 + "." + version / 100 % 100 + "." + version % 100
                : version / 1000 + "." + version / 100 % 10 + "." + version % 100;
    }

    boolean hasAvg() {
        return version >= AVG_SINCE_VERSION;
    }

    /** ncclGetUniqueId into {@code id} (128 bytes); returns the result code. */
    int getUniqueId(byte[] id) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(UNIQUE_ID);
            int rc = (int) getUniqueId.invokeExact(out);
            MemorySegment.copy(out, JAVA_BYTE, 0, id, 0, UNIQUE_ID_BYTES);
            return rc;
        } catch (Throwable t) {
            throw unexpected("ncclGetUniqueId", t);
        }
    }

    /** ncclCommInitRank; the communicator goes to {@code comm[0]}. Blocks until every rank has joined. */
    int commInitRank(MemorySegment[] comm, int nranks, byte[] id, int rank) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment idValue = arena.allocate(UNIQUE_ID);
            MemorySegment.copy(id, 0, idValue, JAVA_BYTE, 0, UNIQUE_ID_BYTES);
            int rc = (int) commInitRank.invokeExact(out, nranks, idValue, rank);
            comm[0] = out.get(ADDRESS, 0);
            return rc;
        } catch (Throwable t) {
            throw unexpected("ncclCommInitRank", t);
        }
    }

    int allReduce(long send, long recv, long count, int dtype, int op, MemorySegment comm, long stream) {
        try {
            return (int) allReduce.invokeExact(MemorySegment.ofAddress(send), MemorySegment.ofAddress(recv), count,
                    dtype, op, comm, MemorySegment.ofAddress(stream));
        } catch (Throwable t) {
            throw unexpected("ncclAllReduce", t);
        }
    }

    int broadcast(long send, long recv, long count, int dtype, int root, MemorySegment comm, long stream) {
        try {
            return (int) broadcast.invokeExact(MemorySegment.ofAddress(send), MemorySegment.ofAddress(recv), count,
                    dtype, root, comm, MemorySegment.ofAddress(stream));
        } catch (Throwable t) {
            throw unexpected("ncclBroadcast", t);
        }
    }

    int groupStart() {
        try {
            return (int) groupStart.invokeExact();
        } catch (Throwable t) {
            throw unexpected("ncclGroupStart", t);
        }
    }

    int groupEnd() {
        try {
            return (int) groupEnd.invokeExact();
        } catch (Throwable t) {
            throw unexpected("ncclGroupEnd", t);
        }
    }

    int commDestroy(MemorySegment comm) {
        try {
            return (int) commDestroy.invokeExact(comm);
        } catch (Throwable t) {
            throw unexpected("ncclCommDestroy", t);
        }
    }

    int commAbort(MemorySegment comm) {
        try {
            return (int) commAbort.invokeExact(comm);
        } catch (Throwable t) {
            throw unexpected("ncclCommAbort", t);
        }
    }

    /** The communicator's asynchronous error into {@code error[0]}; returns the call's own result code. */
    int commGetAsyncError(MemorySegment comm, int[] error) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            int rc = (int) commGetAsyncError.invokeExact(comm, out);
            error[0] = out.get(JAVA_INT, 0);
            return rc;
        } catch (Throwable t) {
            throw unexpected("ncclCommGetAsyncError", t);
        }
    }

    /** NCCL's own words for a result code. */
    String errorString(int result) {
        try {
            MemorySegment s = (MemorySegment) errorString.invokeExact(result);
            return s.equals(MemorySegment.NULL) ? "result " + result : s.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "result " + result;
        }
    }

    private static IllegalStateException unexpected(String call, Throwable t) {
        if (t instanceof Error e) throw e;
        return new IllegalStateException("nccl: the downcall " + call + " failed: " + t, t);
    }
}

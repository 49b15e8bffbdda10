package dev.myelin.cuda.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuBLAS bindings (java.lang.foreign downcalls into libcublas.so.13 or .12) and one handle bound
 * to the device's stream. cuBLAS is column-major; {@code dev.myelin.cuda.CudaBlas} maps Myelin's row-major
 * products onto it. Calls on the handle are serialised (a handle is not thread-safe).
 *
 * <p>Internal: not part of the API.
 */
// Native access (dlopen, downcalls, reading C strings) is this class's job; the JVM runs with
// --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
public final class Cublas {
    public static final int OP_N = 0;
    public static final int OP_T = 1;
    public static final int DEFAULT_MATH = 0;
    public static final int TF32_TENSOR_OP_MATH = 3;

    private static final FunctionDescriptor GEMM_F32 = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor GEMM_STRIDED = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS,
            ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT);

    private final MethodHandle sgemm;
    private final MethodHandle dgemm;
    private final MethodHandle sgemmStrided;
    private final MethodHandle dgemmStrided;
    private final MethodHandle setMathMode;
    private final MethodHandle statusName;
    private final MemorySegment handle;
    private int mathMode = -1;

    /** Binds cuBLAS from {@code lib} with a handle on {@code stream}; the device's context must be current. */
    public Cublas(NativeLibrary lib, long stream) {
        sgemm = lib.function("cublasSgemm_v2", GEMM_F32);
        dgemm = lib.function("cublasDgemm_v2", GEMM_F32);
        sgemmStrided = lib.function("cublasSgemmStridedBatched", GEMM_STRIDED);
        dgemmStrided = lib.function("cublasDgemmStridedBatched", GEMM_STRIDED);
        setMathMode = lib.function("cublasSetMathMode", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        statusName = lib.function("cublasGetStatusName", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        MethodHandle create = lib.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle setStream = lib.function("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            check((int) create.invokeExact(out), "cublasCreate_v2");
            handle = out.get(ADDRESS, 0);
            check((int) setStream.invokeExact(handle, MemorySegment.ofAddress(stream)), "cublasSetStream_v2");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaDriverException("cuda: cuBLAS initialisation failed: " + t);
        }
    }

    /** One float32 (or float64) GEMM, column-major, with cuBLAS's argument meanings. */
    public synchronized void gemm(boolean f64, int opA, int opB, int m, int n, int k, double alpha, long a, int lda,
                                  long b, int ldb, double beta, long c, int ldc) {
        setMath(f64);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = scalar(arena, f64, alpha), be = scalar(arena, f64, beta);
            int rc = f64
                    ? (int) dgemm.invokeExact(handle, opA, opB, m, n, k, al, seg(a), lda, seg(b), ldb, be, seg(c), ldc)
                    : (int) sgemm.invokeExact(handle, opA, opB, m, n, k, al, seg(a), lda, seg(b), ldb, be, seg(c), ldc);
            check(rc, f64 ? "cublasDgemm_v2" : "cublasSgemm_v2");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaDriverException("cuda: cuBLAS gemm call failed: " + t);
        }
    }

    /** Strided-batched GEMM, column-major. */
    public synchronized void gemmStridedBatched(boolean f64, int opA, int opB, int m, int n, int k, double alpha,
                                                long a, int lda, long strideA, long b, int ldb, long strideB,
                                                double beta, long c, int ldc, long strideC, int batch) {
        setMath(f64);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = scalar(arena, f64, alpha), be = scalar(arena, f64, beta);
            int rc = f64
                    ? (int) dgemmStrided.invokeExact(handle, opA, opB, m, n, k, al, seg(a), lda, strideA, seg(b), ldb,
                            strideB, be, seg(c), ldc, strideC, batch)
                    : (int) sgemmStrided.invokeExact(handle, opA, opB, m, n, k, al, seg(a), lda, strideA, seg(b), ldb,
                            strideB, be, seg(c), ldc, strideC, batch);
            check(rc, f64 ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaDriverException("cuda: cuBLAS batched gemm call failed: " + t);
        }
    }

    /** TF32 only for float32 and only when {@link CudaSettings#tf32()} allows it. */
    private void setMath(boolean f64) throws RuntimeException {
        int wanted = !f64 && CudaSettings.tf32() ? TF32_TENSOR_OP_MATH : DEFAULT_MATH;
        if (wanted == mathMode) return;
        try {
            check((int) setMathMode.invokeExact(handle, wanted), "cublasSetMathMode(" + wanted + ")");
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaDriverException("cuda: cublasSetMathMode failed: " + t);
        }
        mathMode = wanted;
    }

    private static MemorySegment scalar(Arena arena, boolean f64, double v) {
        return f64 ? arena.allocateFrom(JAVA_DOUBLE, v) : arena.allocateFrom(JAVA_FLOAT, (float) v);
    }

    private static MemorySegment seg(long deviceAddress) {
        return MemorySegment.ofAddress(deviceAddress);
    }

    private void check(int status, String call) {
        if (status == 0) return;
        String name;
        try {
            name = ((MemorySegment) statusName.invokeExact(status)).reinterpret(128).getString(0);
        } catch (Throwable t) {
            name = "status";
        }
        throw new CudaDriverException("cuda: " + call + " failed: " + name + " (" + status + ")");
    }
}

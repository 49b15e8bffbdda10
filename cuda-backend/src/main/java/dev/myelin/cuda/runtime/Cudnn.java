package dev.myelin.cuda.runtime;

import dev.myelin.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuDNN 9 bindings (java.lang.foreign downcalls into libcudnn.so.9, whose legacy descriptor API
 * lives on in libcudnn_ops and libcudnn_cnn) and one handle bound to the device's stream. Each
 * function is declared once below by its C signature; calls check the status and name the
 * function in the error. Calls on the handle are serialised by the callers' lock on this object.
 *
 * <p>Internal: not part of the API.
 */
// Native access (dlopen, downcalls, reading C strings) is this class's job; the JVM runs with
// --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
public final class Cudnn {
    // Enum values from cudnn_graph.h / cudnn_ops.h / cudnn_cnn.h.
    static final int DATA_FLOAT = 0;
    static final int DATA_DOUBLE = 1;
    static final int TENSOR_NCHW = 0;
    static final int CROSS_CORRELATION = 1;
    public static final int BATCHNORM_SPATIAL = 1;
    public static final int POOLING_AVERAGE_COUNT_INCLUDE_PADDING = 1;
    public static final int POOLING_AVERAGE_COUNT_EXCLUDE_PADDING = 2;
    static final int NOT_PROPAGATE_NAN = 0;
    public static final int PROPAGATE_NAN = 1;
    public static final int DEFAULT_MATH = 0;
    public static final int TENSOR_OP_MATH = 1;
    public static final int TENSOR_OP_MATH_ALLOW_CONVERSION = 2;
    public static final int FMA_MATH = 3;
    public static final int OP_TENSOR_MUL = 1;
    public static final int STATUS_SUCCESS = 0;

    /**
     * Signatures, one letter per C parameter after the cudnnStatus_t return: P a pointer or
     * handle, I an int or enum, L a size_t, D a double.
     */
    private static final Map<String, String> SIGNATURES = Map.ofEntries(
            Map.entry("cudnnCreate", "P"),
            Map.entry("cudnnSetStream", "PP"),
            Map.entry("cudnnCreateTensorDescriptor", "P"),
            Map.entry("cudnnDestroyTensorDescriptor", "P"),
            Map.entry("cudnnSetTensor4dDescriptor", "PIIIIII"),
            Map.entry("cudnnCreateFilterDescriptor", "P"),
            Map.entry("cudnnDestroyFilterDescriptor", "P"),
            Map.entry("cudnnSetFilter4dDescriptor", "PIIIIII"),
            Map.entry("cudnnCreateConvolutionDescriptor", "P"),
            Map.entry("cudnnDestroyConvolutionDescriptor", "P"),
            Map.entry("cudnnSetConvolution2dDescriptor", "PIIIIIIII"),
            Map.entry("cudnnSetConvolutionGroupCount", "PI"),
            Map.entry("cudnnSetConvolutionMathType", "PI"),
            Map.entry("cudnnGetConvolutionForwardAlgorithm_v7", "PPPPPIPP"),
            Map.entry("cudnnGetConvolutionBackwardDataAlgorithm_v7", "PPPPPIPP"),
            Map.entry("cudnnGetConvolutionBackwardFilterAlgorithm_v7", "PPPPPIPP"),
            Map.entry("cudnnGetConvolutionForwardWorkspaceSize", "PPPPPIP"),
            Map.entry("cudnnGetConvolutionBackwardDataWorkspaceSize", "PPPPPIP"),
            Map.entry("cudnnGetConvolutionBackwardFilterWorkspaceSize", "PPPPPIP"),
            Map.entry("cudnnConvolutionForward", "PPPPPPPIPLPPP"),
            Map.entry("cudnnConvolutionBackwardData", "PPPPPPPIPLPPP"),
            Map.entry("cudnnConvolutionBackwardFilter", "PPPPPPPIPLPPP"),
            Map.entry("cudnnAddTensor", "PPPPPPP"),
            Map.entry("cudnnSetTensor", "PPPP"),
            Map.entry("cudnnCreatePoolingDescriptor", "P"),
            Map.entry("cudnnDestroyPoolingDescriptor", "P"),
            Map.entry("cudnnSetPooling2dDescriptor", "PIIIIIIII"),
            Map.entry("cudnnPoolingForward", "PPPPPPPP"),
            Map.entry("cudnnPoolingBackward", "PPPPPPPPPPPP"),
            Map.entry("cudnnDeriveBNTensorDescriptor", "PPI"),
            Map.entry("cudnnBatchNormalizationForwardTraining", "PIPPPPPPPPPDPPDPP"),
            Map.entry("cudnnBatchNormalizationForwardInference", "PIPPPPPPPPPPPD"),
            Map.entry("cudnnBatchNormalizationBackward", "PIPPPPPPPPPPPPPPDPP"),
            Map.entry("cudnnCreateOpTensorDescriptor", "P"),
            Map.entry("cudnnDestroyOpTensorDescriptor", "P"),
            Map.entry("cudnnSetOpTensorDescriptor", "PIII"),
            Map.entry("cudnnOpTensor", "PPPPPPPPPPP"));

    /**
     * cudnnConvolution{Fwd,BwdData,BwdFilter}AlgoPerf_t: algo, status, time, memory, determinism, mathType,
     * reserved[3].
     */
    public static final MemoryLayout ALGO_PERF = MemoryLayout.structLayout(JAVA_INT.withName("algo"),
            JAVA_INT.withName("status"), java.lang.foreign.ValueLayout.JAVA_FLOAT.withName("time"),
            MemoryLayout.paddingLayout(4), JAVA_LONG.withName("memory"), JAVA_INT.withName("determinism"),
            JAVA_INT.withName("mathType"), MemoryLayout.sequenceLayout(3, JAVA_INT).withName("reserved"),
            MemoryLayout.paddingLayout(4));

    private final Map<String, MethodHandle> functions = new HashMap<>();
    private final MethodHandle errorString;
    private final MemorySegment handle;

    /** Binds cuDNN from {@code lib} with a handle on {@code stream}; the device's context must be current. */
    public Cudnn(NativeLibrary lib, long stream) {
        for (Map.Entry<String, String> e : SIGNATURES.entrySet()) {
            functions.put(e.getKey(), lib.function(e.getKey(), descriptor(e.getValue())));
        }
        errorString = lib.function("cudnnGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ADDRESS);
            call("cudnnCreate", out);
            handle = out.get(ADDRESS, 0);
        }
        call("cudnnSetStream", handle, MemorySegment.ofAddress(stream));
    }

    private static FunctionDescriptor descriptor(String params) {
        java.lang.foreign.MemoryLayout[] layouts = new java.lang.foreign.MemoryLayout[params.length()];
        for (int i = 0; i < params.length(); i++) {
            layouts[i] = switch (params.charAt(i)) {
                case 'P' -> ADDRESS;
                case 'I' -> JAVA_INT;
                case 'L' -> JAVA_LONG;
                case 'D' -> JAVA_DOUBLE;
                default -> throw new IllegalStateException("bad signature letter in " + params);
            };
        }
        return FunctionDescriptor.of(JAVA_INT, layouts);
    }

    public MemorySegment handle() {
        return handle;
    }

    /** Calls a cuDNN function; a status other than success is a {@link CudaDriverException} naming it. */
    public void call(String function, Object... args) {
        int status = callStatus(function, args);
        if (status != STATUS_SUCCESS) {
            throw new CudaDriverException("cuda: " + function + " failed: " + errorName(status) + " (" + status + ")");
        }
    }

    /** Calls a cuDNN function and returns its status, for callers that handle some failures. */
    public int callStatus(String function, Object... args) {
        MethodHandle h = functions.get(function);
        if (h == null) {
            throw new IllegalStateException("cuda: cuDNN function " + function + " is not declared in Cudnn");
        }
        try {
            return (int) h.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaDriverException("cuda: " + function + " could not be called: " + t);
        }
    }

    String errorName(int status) {
        try {
            return ((MemorySegment) errorString.invokeExact(status)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "status";
        }
    }

    static int dataType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> DATA_FLOAT;
            case FLOAT64 -> DATA_DOUBLE;
            default -> throw new IllegalArgumentException("cuda: cuDNN kernels take float32 or float64, got " + dtype);
        };
    }
}

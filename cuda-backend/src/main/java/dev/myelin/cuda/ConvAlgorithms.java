package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.backend.Conv;
import dev.myelin.cuda.runtime.Bytes;
import dev.myelin.cuda.runtime.CudaDriverException;
import dev.myelin.cuda.runtime.CudaOutOfMemoryException;
import dev.myelin.cuda.runtime.Cudnn;
import dev.myelin.cuda.runtime.CudnnCall;
import dev.myelin.cuda.runtime.CudnnWorkspace;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chooses a cuDNN algorithm for each convolution shape, once: the heuristics'
 * ({@code cudnnGet*Algorithm_v7}) best algorithm that succeeds, respects the TF32 setting and
 * whose workspace can be had (at most {@link #MAX_WORKSPACE} bytes). The choice is cached by
 * direction, dtype, shapes, parameters and TF32 setting. With TF32 off, float32 convolutions run
 * in CUDNN_FMA_MATH (plain float arithmetic), as PyTorch does with allow_tf32 = False.
 */
final class ConvAlgorithms {
    static final long MAX_WORKSPACE = 2L << 30;
    private static final int MAX_CANDIDATES = 8;

    /** The three directions, with the cuDNN functions that pick and size their algorithms. */
    enum Direction {
        FORWARD("cudnnGetConvolutionForwardAlgorithm_v7", "cudnnGetConvolutionForwardWorkspaceSize"),
        BACKWARD_DATA("cudnnGetConvolutionBackwardDataAlgorithm_v7", "cudnnGetConvolutionBackwardDataWorkspaceSize"),
        BACKWARD_FILTER("cudnnGetConvolutionBackwardFilterAlgorithm_v7",
                "cudnnGetConvolutionBackwardFilterWorkspaceSize");

        final String heuristic;
        final String workspaceSize;

        Direction(String heuristic, String workspaceSize) {
            this.heuristic = heuristic;
            this.workspaceSize = workspaceSize;
        }
    }

    record Key(Direction direction, DType dtype, List<Integer> x, List<Integer> w, Conv.Params p, boolean tf32) {}

    /** The algorithm, its workspace size and the math type to set on the convolution descriptor. */
    record Choice(int algo, long workspaceBytes, int mathType) {}

    private final Cudnn cudnn;
    private final Map<Key, Choice> cache = new ConcurrentHashMap<>();

    ConvAlgorithms(Cudnn cudnn) {
        this.cudnn = cudnn;
    }

    /** The math type to set on a new descriptor before asking the heuristics. */
    static int baseMathType(DType dtype, boolean tf32) {
        if (dtype != DType.FLOAT32) return Cudnn.DEFAULT_MATH;
        return tf32 ? Cudnn.DEFAULT_MATH : Cudnn.FMA_MATH;
    }

    /**
     * The algorithm for a call whose descriptors are given in the order of the direction's cuDNN
     * functions (forward: x, w, conv, y; backward data: w, dy, conv, dx; backward filter: x, dy,
     * conv, dw). Sets the chosen math type on {@code conv} and makes sure the workspace is there.
     */
    Choice choose(Key key, CudnnCall call, MemorySegment a, MemorySegment b, MemorySegment conv, MemorySegment c,
                  CudnnWorkspace workspace) {
        Choice cached = cache.get(key);
        if (cached != null) {
            cudnn.call("cudnnSetConvolutionMathType", conv, cached.mathType());
            workspace.ensure(cached.workspaceBytes());
            return cached;
        }
        Choice chosen = pick(key, call, a, b, conv, c, workspace);
        cache.put(key, chosen);
        return chosen;
    }

    private Choice pick(Key key, CudnnCall call, MemorySegment a, MemorySegment b, MemorySegment conv, MemorySegment c,
                        CudnnWorkspace workspace) {
        int base = baseMathType(key.dtype(), key.tf32());
        MemorySegment count = call.host(4);
        MemorySegment perf = call.host(Cudnn.ALGO_PERF.byteSize() * MAX_CANDIDATES);
        cudnn.call(key.direction().heuristic, cudnn.handle(), a, b, conv, c, MAX_CANDIDATES, count, perf);
        int returned = count.get(java.lang.foreign.ValueLayout.JAVA_INT, 0);
        StringBuilder rejected = new StringBuilder();
        for (int i = 0; i < returned; i++) {
            long at = i * Cudnn.ALGO_PERF.byteSize();
            int algo = perf.get(java.lang.foreign.ValueLayout.JAVA_INT, at);
            int status = perf.get(java.lang.foreign.ValueLayout.JAVA_INT, at + 4);
            int mathType = perf.get(java.lang.foreign.ValueLayout.JAVA_INT, at + 28);
            boolean tensorCores = mathType == Cudnn.TENSOR_OP_MATH || mathType == Cudnn.TENSOR_OP_MATH_ALLOW_CONVERSION;
            if (status != Cudnn.STATUS_SUCCESS || (tensorCores && base == Cudnn.FMA_MATH)) {
                rejected.append(" algo ").append(algo)
                        .append(status != 0 ? " (status " + status + ")" : " (needs TF32)");
                continue;
            }
            int useMath = base == Cudnn.FMA_MATH ? Cudnn.FMA_MATH : mathType;
            cudnn.call("cudnnSetConvolutionMathType", conv, useMath);
            MemorySegment size = call.host(8);
            if (cudnn.callStatus(key.direction().workspaceSize, cudnn.handle(), a, b, conv, c, algo, size) != 0) {
                rejected.append(" algo ").append(algo).append(" (no workspace size)");
                continue;
            }
            long bytes = size.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
            if (bytes > MAX_WORKSPACE) {
                rejected.append(" algo ").append(algo).append(" (workspace ").append(Bytes.show(bytes)).append(')');
                continue;
            }
            try {
                workspace.ensure(bytes);
            } catch (CudaOutOfMemoryException e) {
                rejected.append(" algo ").append(algo).append(" (workspace ").append(Bytes.show(bytes))
                        .append(" does not fit)");
                continue;
            }
            return new Choice(algo, bytes, useMath);
        }
        throw new CudaDriverException("cuda: no cuDNN algorithm for conv2d " + key.direction() + " with input "
                + key.x() + ", weight " + key.w() + ", " + key.p() + " (" + key.dtype() + "); rejected:" + rejected);
    }
}

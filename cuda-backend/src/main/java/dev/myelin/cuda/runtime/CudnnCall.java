package dev.myelin.cuda.runtime;

import dev.myelin.DType;
import dev.myelin.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

/**
 * The descriptors and host scalars of one cuDNN operation, destroyed together when it closes
 * (try-with-resources). Descriptors are host-side objects that cost microseconds to make, so
 * each call builds its own rather than caching them.
 *
 * <p>Internal: not part of the API.
 */
public final class CudnnCall implements AutoCloseable {
    private record Made(String destroy, MemorySegment descriptor) {}

    private final Cudnn cudnn;
    private final Arena arena = Arena.ofConfined();
    private final List<Made> made = new ArrayList<>();

    public CudnnCall(Cudnn cudnn) {
        this.cudnn = cudnn;
    }

    /** A fully packed NCHW tensor descriptor. */
    public MemorySegment tensor(DType dtype, int n, int c, int h, int w) {
        MemorySegment d = create("cudnnCreateTensorDescriptor", "cudnnDestroyTensorDescriptor");
        cudnn.call("cudnnSetTensor4dDescriptor", d, Cudnn.TENSOR_NCHW, Cudnn.dataType(dtype), n, c, h, w);
        return d;
    }

    /** The descriptor of a contiguous 4-D tensor. */
    public MemorySegment tensor(Tensor t) {
        int[] s = t.shape();
        return tensor(t.dtype(), s[0], s[1], s[2], s[3]);
    }

    public MemorySegment filter(DType dtype, int k, int c, int h, int w) {
        MemorySegment d = create("cudnnCreateFilterDescriptor", "cudnnDestroyFilterDescriptor");
        cudnn.call("cudnnSetFilter4dDescriptor", d, Cudnn.dataType(dtype), Cudnn.TENSOR_NCHW, k, c, h, w);
        return d;
    }

    public MemorySegment convolution(dev.myelin.backend.Conv.Params p, DType dtype, int mathType) {
        MemorySegment d = create("cudnnCreateConvolutionDescriptor", "cudnnDestroyConvolutionDescriptor");
        cudnn.call("cudnnSetConvolution2dDescriptor", d, p.padH(), p.padW(), p.strideH(), p.strideW(), p.dilationH(),
                p.dilationW(), Cudnn.CROSS_CORRELATION, Cudnn.dataType(dtype));
        cudnn.call("cudnnSetConvolutionGroupCount", d, p.groups());
        cudnn.call("cudnnSetConvolutionMathType", d, mathType);
        return d;
    }

    public MemorySegment pooling(int mode, int nanOption, int kh, int kw, int padH, int padW, int strideH,
                                 int strideW) {
        MemorySegment d = create("cudnnCreatePoolingDescriptor", "cudnnDestroyPoolingDescriptor");
        cudnn.call("cudnnSetPooling2dDescriptor", d, mode, nanOption, kh, kw, padH, padW, strideH, strideW);
        return d;
    }

    /** The per-channel [1, C, 1, 1] descriptor cuDNN derives for batch norm from x's descriptor. */
    public MemorySegment batchNormParams(MemorySegment xDesc) {
        MemorySegment d = create("cudnnCreateTensorDescriptor", "cudnnDestroyTensorDescriptor");
        cudnn.call("cudnnDeriveBNTensorDescriptor", d, xDesc, Cudnn.BATCHNORM_SPATIAL);
        return d;
    }

    public MemorySegment opTensor(int op, DType dtype) {
        MemorySegment d = create("cudnnCreateOpTensorDescriptor", "cudnnDestroyOpTensorDescriptor");
        cudnn.call("cudnnSetOpTensorDescriptor", d, op, Cudnn.dataType(dtype), Cudnn.PROPAGATE_NAN);
        return d;
    }

    /** A host scaling factor (alpha, beta) as cuDNN reads it: a float for float32 data, a double for float64. */
    public MemorySegment scalar(DType dtype, double v) {
        return dtype == DType.FLOAT64 ? arena.allocateFrom(JAVA_DOUBLE, v) : arena.allocateFrom(JAVA_FLOAT, (float) v);
    }

    /** Scratch host memory for out-parameters. */
    public MemorySegment host(long bytes) {
        return arena.allocate(bytes, 8);
    }

    public static MemorySegment device(long address) {
        return MemorySegment.ofAddress(address);
    }

    public static MemorySegment device(Tensor t) {
        return MemorySegment.ofAddress(CudaStorage.addressOf(t));
    }

    /** A device pointer to an optional tensor, or NULL. */
    static MemorySegment deviceOrNull(Tensor t) {
        return t == null ? MemorySegment.NULL : device(t);
    }

    private MemorySegment create(String createFn, String destroyFn) {
        MemorySegment out = arena.allocate(ADDRESS);
        cudnn.call(createFn, out);
        MemorySegment d = out.get(ADDRESS, 0);
        made.add(new Made(destroyFn, d));
        return d;
    }

    @Override
    public void close() {
        for (int i = made.size() - 1; i >= 0; i--) {
            cudnn.callStatus(made.get(i).destroy(), made.get(i).descriptor());
        }
        arena.close();
    }
}

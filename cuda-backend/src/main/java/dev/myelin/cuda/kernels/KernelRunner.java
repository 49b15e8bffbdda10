package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;

/**
 * Where the launchers send their kernels: the GPU ({@link CudaKernelRunner}, the default), or a
 * recorder in tests that checks every launch against the catalog without a GPU.
 *
 * <p>Internal: not part of the API.
 */
public interface KernelRunner {
    /** Queues one launch of {@code spec}'s dtype variant (dtype is ignored for specs without variants). */
    void launch(KernelSpec spec, DType dtype, Dim3 grid, Dim3 block, KernelCall call);

    /**
     * Element 0 of an int64 tensor that queued kernels write (a "first bad index" flag), after
     * they have run; -1 (all bits set) means they flagged nothing.
     */
    long readFlag(Tensor flag);
}

package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.cuda.runtime.CudaStorage;

import java.util.Arrays;

/**
 * The argument checks of the family classes, each error naming the op and the argument: those of
 * Myelin's kernels with the CPU backend's messages, then those of the cuDNN/cuBLAS-backed calls
 * (prefixed "cuda"), which also need the tensors on the CUDA device.
 */
final class Checks {
    private Checks() {}

    /** Outputs are written contiguously; a strided out would be corrupted. */
    static void contiguousOut(String op, Tensor out) {
        if (!out.isContiguous() && out.numel() > 0) {
            throw new IllegalArgumentException(op + ": the output must be contiguous, got shape "
                    + Shape.str(out.shape()) + " with strides " + Arrays.toString(out.strides()));
        }
    }

    static void contiguous(String op, Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null && !t.isContiguous() && t.numel() > 0) {
                throw new IllegalArgumentException(op + ": the CUDA kernel needs contiguous tensors, got shape "
                        + Shape.str(t.shape()) + " with strides " + Arrays.toString(t.strides()));
            }
        }
    }

    static void floating(String op, Tensor t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expects float32 or float64, got " + t.dtype() + " with shape "
                    + Shape.str(t.shape()));
        }
    }

    /** Every tensor (nulls skipped) has dtype. */
    static void sameDtype(String op, DType dtype, Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null && t.dtype() != dtype) {
                throw new IllegalArgumentException(op + ": expects every tensor to be " + dtype + ", got " + t.dtype()
                        + " with shape " + Shape.str(t.shape()));
            }
        }
    }

    static void sameShape(String op, String argA, Tensor a, String argB, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": '" + argA + "' has shape " + Shape.str(a.shape())
                    + " but '" + argB + "' has shape " + Shape.str(b.shape()) + "; they must match");
        }
    }

    static void numel(String op, String arg, Tensor t, long count) {
        if (t != null && t.numel() != count) {
            throw new IllegalArgumentException(op + ": '" + arg + "' has shape " + Shape.str(t.shape()) + ", expected "
                    + count + " elements");
        }
    }

    // ---------------------------------------------------------------- library-backed calls

    /** A non-null, contiguous tensor on the CUDA backend of the given floating dtype. */
    static void operand(String op, String arg, Tensor t, DType dtype) {
        if (t == null) throw new IllegalArgumentException("cuda " + op + ": " + arg + " must not be null");
        if (!(t.storage() instanceof CudaStorage)) {
            throw new IllegalArgumentException("cuda " + op + ": " + arg + " " + Shape.str(t.shape()) + " is on "
                    + t.device() + ", expected the cuda device");
        }
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException("cuda " + op + ": " + arg + " is " + t.dtype() + ", expected " + dtype);
        }
        if (!t.isContiguous()) {
            throw new IllegalArgumentException("cuda " + op + ": expects contiguous tensors, got " + arg + " of shape "
                    + Shape.str(t.shape()) + " with strides " + Arrays.toString(t.strides()));
        }
    }

    /** Like {@link #operand} but null passes (an optional tensor). */
    static void optional(String op, String arg, Tensor t, DType dtype) {
        if (t != null) operand(op, arg, t, dtype);
    }

    static void rank(String op, String arg, Tensor t, int rank) {
        if (t.dim() != rank) {
            throw new IllegalArgumentException("cuda " + op + ": " + arg + " must be " + rank + "-D, got shape "
                    + Shape.str(t.shape()));
        }
    }

    /** float32 or float64: the types cuDNN kernels take here. */
    static DType floatingDtype(String op, Tensor t) {
        if (t == null) throw new IllegalArgumentException("cuda " + op + ": input must not be null");
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("cuda " + op + ": expected float32 or float64, got " + t.dtype());
        }
        return t.dtype();
    }
}

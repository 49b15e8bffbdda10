package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;

import java.util.Arrays;

/** Argument checks the library-backed kernels share; each error names the op and the argument. */
final class CudaChecks {
    private CudaChecks() {}

    /** A non-null, contiguous tensor on the CUDA backend of the given floating dtype. */
    static void operand(String op, String arg, Tensor t, DType dtype) {
        if (t == null) throw new IllegalArgumentException("cuda " + op + ": " + arg + " must not be null");
        if (!(t.storage() instanceof CudaStorage)) {
            throw new IllegalArgumentException("cuda " + op + ": " + arg + " " + Shape.str(t.shape()) + " is on " + t.device()
                    + ", expected the cuda device");
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
    static DType floating(String op, Tensor t) {
        if (t == null) throw new IllegalArgumentException("cuda " + op + ": input must not be null");
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("cuda " + op + ": expected float32 or float64, got " + t.dtype());
        }
        return t.dtype();
    }
}

package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;

import java.util.Arrays;

/** Argument checks shared by the launchers, with the CPU backend's messages. */
final class Checks {
    private Checks() {}

    /** Outputs are written contiguously; a strided out would be corrupted. */
    static void contiguousOut(String op, Tensor out) {
        if (!out.isContiguous() && out.numel() > 0) {
            throw new IllegalArgumentException(op + ": the output must be contiguous, got shape " + Shape.str(out.shape())
                    + " with strides " + Arrays.toString(out.strides()));
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
            throw new IllegalArgumentException(op + ": '" + argA + "' has shape " + Shape.str(a.shape()) + " but '" + argB
                    + "' has shape " + Shape.str(b.shape()) + "; they must match");
        }
    }

    static void numel(String op, String arg, Tensor t, long count) {
        if (t != null && t.numel() != count) {
            throw new IllegalArgumentException(op + ": '" + arg + "' has shape " + Shape.str(t.shape()) + ", expected "
                    + count + " elements");
        }
    }
}

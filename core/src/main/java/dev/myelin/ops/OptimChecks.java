package dev.myelin.ops;

import dev.myelin.Shape;
import dev.myelin.Tensor;

import java.util.Arrays;

/**
 * Argument checks shared by every backend's fused optimizer updates (the Optim family), so that
 * a bad call gets the same message on the CPU and on CUDA.
 */
public final class OptimChecks {
    private OptimChecks() {}

    /** param and grad: present, floating, and alike (backend, shape, dtype). */
    public static void operands(String op, Tensor param, Tensor grad) {
        if (param == null || grad == null) {
            throw new IllegalArgumentException(op + ": 'param' and 'grad' are required, got "
                    + (param == null ? "null" : Shape.str(param.shape())) + " and "
                    + (grad == null ? "null" : Shape.str(grad.shape())));
        }
        ElementwiseOps.requireFloating(op, "param", param);
        like(op, "grad", grad, param);
    }

    /** Checks a state tensor that the step needs (the reason says why) and returns it. */
    public static Tensor state(String op, String name, Tensor state, Tensor param, String neededFor) {
        if (state == null) {
            throw new IllegalArgumentException(op + ": '" + name + "' is required (" + neededFor + ") but is null; "
                    + "param has shape " + Shape.str(param.shape()));
        }
        like(op, name, state, param);
        return state;
    }

    /** A broadcast view (stride 0) has elements sharing memory; updating it in place is ill-defined. */
    public static void noOverlap(String op, Tensor t) {
        int[] shape = t.shape();
        long[] strides = t.strides();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > 1 && strides[d] == 0) {
                throw new IllegalArgumentException(op + ": a tensor of shape " + Shape.str(shape) + " with strides "
                        + Arrays.toString(strides) + " has elements sharing memory and cannot be updated in place");
            }
        }
    }

    private static void like(String op, String name, Tensor t, Tensor param) {
        ElementwiseOps.sameBackend(op, param, t);
        ElementwiseOps.requireSameShape(op, name, t, "param", param);
        if (t.dtype() != param.dtype()) {
            throw new IllegalArgumentException(op + ": '" + name + "' is " + t.dtype() + " but 'param' is "
                    + param.dtype() + " (shape " + Shape.str(param.shape()) + "); they must match");
        }
    }
}

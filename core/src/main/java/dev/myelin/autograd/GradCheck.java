package dev.myelin.autograd;

import dev.myelin.DType;
import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.ops.Creation;

import java.util.function.Function;

/**
 * Finite-difference gradient check (torch.autograd.gradcheck): compares the gradients autograd
 * computes for {@code f} with central differences, in float64. The output is reduced to a scalar
 * with fixed pseudo-random weights so that every output element's gradient is exercised.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Thrown with a message that names the input, the element and both values. */
    public static final class Mismatch extends AssertionError {
        Mismatch(String message) {
            super(message);
        }
    }

    /** Checks with eps 1e-6, atol 1e-5 and rtol 1e-3 (PyTorch's gradcheck defaults). */
    public static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(f, 1e-6, 1e-5, 1e-3, inputs);
    }

    /**
     * @param inputs float64 leaves; those with requiresGrad are checked, the others held constant
     */
    public static void check(Function<Tensor[], Tensor> f, double eps, double atol, double rtol, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.requiresGrad() && t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradcheck: inputs that require grad must be float64, got "
                        + t.dtype());
            }
        }
        Tensor probe = f.apply(inputs);
        double[] weights = weights(probe.numel());
        Tensor w = Creation.fromDoubles(probe.backend(), DType.FLOAT64, weights, probe.shape());

        for (Tensor t : inputs) t.setGrad(null);
        probe.mul(w).sum().backward();

        for (int which = 0; which < inputs.length; which++) {
            Tensor input = inputs[which];
            if (!input.requiresGrad()) continue;
            double[] analytic = input.grad() == null ? new double[(int) input.numel()] : input.grad().toDoubleArray();
            double[] values = input.toDoubleArray();
            for (int i = 0; i < values.length; i++) {
                double numeric = (objective(f, inputs, which, values, i, values[i] + eps, w)
                        - objective(f, inputs, which, values, i, values[i] - eps, w)) / (2 * eps);
                restore(inputs[which], values, i, values[i]);
                if (Math.abs(analytic[i] - numeric) > atol + rtol * Math.abs(numeric)) {
                    throw new Mismatch("gradcheck: input " + which + " " + Shape.str(input.shape()) + ", element " + i
                            + ": analytic " + analytic[i] + " vs numeric " + numeric);
                }
            }
        }
    }

    private static double objective(Function<Tensor[], Tensor> f, Tensor[] inputs, int which, double[] values,
                                     int i, double v, Tensor w) {
        restore(inputs[which], values, i, v);
        try (var ng = GradMode.noGrad()) {
            return f.apply(inputs).mul(w).sum().item();
        }
    }

    private static void restore(Tensor t, double[] values, int i, double v) {
        if (!t.isContiguous()) throw new IllegalArgumentException("gradcheck: inputs must be contiguous");
        t.storage().write(t.offset() + i, new double[] {v}, 0, 1);
        t.incrementVersion();
    }

    private static double[] weights(long n) {
        double[] w = new double[(int) n];
        long state = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < w.length; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            w[i] = 0.5 + ((state >>> 11) * 0x1.0p-53);
        }
        return w;
    }
}

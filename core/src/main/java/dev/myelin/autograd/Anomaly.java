package dev.myelin.autograd;

import dev.myelin.Shape;
import dev.myelin.Tensor;

/**
 * Anomaly detection (torch.autograd.detect_anomaly): a debugging mode that finds the op where a
 * NaN or an infinity first appears.
 * <pre>{@code try (var a = Anomaly.detect()) { loss = model.forward(x) ...; loss.backward(); } }</pre>
 * While it is on:
 * <ul>
 *   <li>forward: the output of every op run with grad mode on is checked, and the first that holds
 *       a NaN or an infinity throws an {@link IllegalStateException} naming the op, its output's
 *       shape and how many NaN and infinite values it holds (and whether one of its inputs already
 *       held some: then the values came from outside, a leaf or code run under no-grad);</li>
 *   <li>backward: every gradient a node's backward returns is checked, and the first non-finite one
 *       throws naming the op whose backward produced it, the input it is for and its shape, with the
 *       stack trace of that op's forward call as the cause;</li>
 *   <li>every node records the stack trace of its forward call, which the errors of backward (such
 *       as a saved tensor modified in place) carry as their cause.</li>
 * </ul>
 * It is off by default and costs one flag read per op when off; when on, each check reduces the
 * tensor on its device and reads one value back, so it slows training down (use it to debug).
 * Like PyTorch's, the mode is process-wide, not per thread; guards nest and restore the previous
 * mode when closed.
 */
public final class Anomaly {
    private static volatile boolean enabled;

    private Anomaly() {}

    /** Whether anomaly detection is on (torch.is_anomaly_enabled). */
    public static boolean isEnabled() {
        return enabled;
    }

    /** Turns anomaly detection on until the returned guard closes. */
    public static Guard detect() {
        boolean previous = enabled;
        enabled = true;
        return new Guard(previous);
    }

    /** Restores the previous mode when closed. */
    public static final class Guard implements AutoCloseable {
        private final boolean previous;

        private Guard(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            enabled = previous;
        }
    }

    /** The stack trace of a forward call, kept by its node and given as the cause of backward errors. */
    static final class ForwardTrace extends RuntimeException {
        ForwardTrace(String op) {
            super("the forward call of " + op + " that recorded this node (recorded under Anomaly.detect())");
        }
    }

    /** Throws if the output of {@code op}'s forward holds a NaN or an infinity. */
    static void checkForward(String op, Tensor output, Tensor[] inputs) {
        if (isFinite(output)) return;
        StringBuilder m = new StringBuilder("Anomaly: ").append(op).append(" produced ").append(counts(output))
                .append(" in its output of shape ").append(Shape.str(output.shape()));
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && !isFinite(inputs[i])) {
                m.append("; its input ").append(i).append(" of shape ").append(Shape.str(inputs[i].shape()))
                        .append(" already held ").append(counts(inputs[i]))
                        .append(" (from a leaf or from code run under no-grad, which is not checked)");
                break;
            }
        }
        throw new IllegalStateException(m.toString());
    }

    /** Throws if a gradient that {@code node}'s backward returned holds a NaN or an infinity. */
    static void checkBackward(Node node, Tensor[] grads) {
        for (int i = 0; i < grads.length; i++) {
            Tensor g = grads[i];
            if (g == null || isFinite(g)) continue;
            throw new IllegalStateException("Anomaly: the backward of " + node.op() + " (" + node + ") returned "
                    + counts(g) + " in the gradient for its input " + i + " of shape " + Shape.str(g.shape())
                    + (node.forwardTrace() == null ? "" : "; the cause below is the stack trace of its forward call"),
                    node.forwardTrace());
        }
    }

    /** True for integer tensors; for floating ones, whether every element is finite. */
    private static boolean isFinite(Tensor t) {
        if (!t.dtype().isFloating() || t.numel() == 0) return true;
        // x - x is NaN exactly where x is NaN or infinite, and a sum holding one NaN is NaN: one
        // reduction on the tensor's device and a single value read back.
        try (var ng = GradMode.noGrad(); Tensor d = t.sub(t); Tensor s = d.sum()) {
            return !Double.isNaN(s.item());
        }
    }

    /** "2 NaN and 1 infinite values", read on the host (only on the error path). */
    private static String counts(Tensor t) {
        long nan = 0, inf = 0;
        for (double v : t.toDoubleArray()) {
            if (Double.isNaN(v)) nan++;
            else if (Double.isInfinite(v)) inf++;
        }
        return nan + " NaN and " + inf + " infinite values";
    }
}

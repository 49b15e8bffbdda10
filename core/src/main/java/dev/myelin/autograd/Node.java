package dev.myelin.autograd;

import dev.myelin.Shape;
import dev.myelin.Tensor;

/**
 * One recorded op in the autograd graph: the inputs it read, the tensors its backward reads
 * ("saved", with the version each had when saved), and a function that maps the gradient of its
 * output to the gradients of its inputs. The function's closure holds the saved tensors;
 * {@link #release()} drops it after a backward pass unless the graph is retained.
 */
public final class Node {
    /** The most tensors one op may save; every op of Myelin saves at most four. */
    public static final int MAX_SAVED = 4;
    private static final Tensor[] NONE = new Tensor[0];

    private final String op;
    private final Tensor[] inputs;
    private Tensor[] saved;
    // The versions of saved[0..3] when saved: fields rather than an array, so that recording a node
    // allocates nothing for them and the check reads one field per saved tensor.
    private final int version0, version1, version2, version3;
    /** Where the forward ran, recorded only under {@link Anomaly#detect()}; null otherwise. */
    private final Throwable forwardTrace;
    private BackwardFunction backward;

    /** Keeps the arrays it is given (the op built them for this node); reads each saved tensor's version now. */
    Node(String op, Tensor[] inputs, Tensor[] saved, BackwardFunction backward, Throwable forwardTrace) {
        if (saved.length > MAX_SAVED) {
            throw new IllegalArgumentException("record(" + op + "): " + saved.length + " saved tensors, at most "
                    + MAX_SAVED + " (a view shares its base's version, so saving the base is enough)");
        }
        this.op = op;
        this.inputs = inputs;
        this.saved = saved;
        this.version0 = versionOf(saved, 0);
        this.version1 = versionOf(saved, 1);
        this.version2 = versionOf(saved, 2);
        this.version3 = versionOf(saved, 3);
        this.backward = backward;
        this.forwardTrace = forwardTrace;
    }

    private static int versionOf(Tensor[] saved, int i) {
        return i < saved.length && saved[i] != null ? saved[i].version() : 0;
    }

    private int savedVersion(int i) {
        return switch (i) {
            case 0 -> version0;
            case 1 -> version1;
            case 2 -> version2;
            default -> version3;
        };
    }

    public String op() {
        return op;
    }

    public Tensor[] inputs() {
        return inputs;
    }

    /** The forward call's stack trace when the node was recorded under {@link Anomaly#detect()}, else null. */
    Throwable forwardTrace() {
        return forwardTrace;
    }

    Tensor[] apply(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("backward(" + op + "): trying to backward through the graph a second time "
                    + "(its saved tensors were freed after the first backward); pass retainGraph = true to the "
                    + "first backward() if you need to backward twice");
        }
        Tensor[] s = saved;
        for (int i = 0; i < s.length; i++) {
            if (s[i] != null && s[i].version() != savedVersion(i)) throw modifiedInPlace(i);
        }
        return backward.apply(gradOutput);
    }

    /** PyTorch's wording, plus which op saved the tensor and what to do about it. */
    private IllegalStateException modifiedInPlace(int i) {
        Tensor t = saved[i];
        String message = "backward(" + op + "): one of the variables needed for gradient computation has been "
                + "modified by an inplace operation: the " + t.dtype() + " tensor of shape " + Shape.str(t.shape())
                + " that " + op + " saved for backward (saved tensor " + i + ") is at version " + t.version()
                + "; expected version " + savedVersion(i) + " instead. An in-place write (fill, zero, copyFrom, an "
                + "optimizer step, loadStateDict, ...) changed it after the forward: make the write after backward(), "
                + "or write into a copy. "
                + (forwardTrace == null
                        ? "Hint: run the forward under Anomaly.detect() to see where " + op + " was called."
                        : "The cause below is the stack trace of " + op + "'s forward call.");
        return new IllegalStateException(message, forwardTrace);
    }

    void release() {
        backward = null;
        saved = NONE;
    }

    @Override
    public String toString() {
        return op + "Backward";
    }
}

package dev.myelin.autograd;

import dev.myelin.Tensor;

/**
 * One recorded op in the autograd graph: the inputs it read and a function that maps the gradient
 * of its output to the gradients of its inputs. The function's closure holds the saved tensors;
 * {@link #release()} drops it after a backward pass unless the graph is retained.
 */
public final class Node {
    private final String op;
    private final Tensor[] inputs;
    private BackwardFunction backward;

    Node(String op, Tensor[] inputs, BackwardFunction backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    public String op() {
        return op;
    }

    public Tensor[] inputs() {
        return inputs;
    }

    Tensor[] apply(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("backward(" + op + "): trying to backward through the graph a second time "
                    + "(its saved tensors were freed after the first backward); pass retainGraph = true to the "
                    + "first backward() if you need to backward twice");
        }
        return backward.apply(gradOutput);
    }

    void release() {
        backward = null;
    }

    @Override
    public String toString() {
        return op + "Backward";
    }
}

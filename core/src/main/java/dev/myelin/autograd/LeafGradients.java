package dev.myelin.autograd;

import dev.myelin.Tensor;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sums the gradients that reach each leaf during one backward pass and adds the sum to the leaf's
 * {@code grad} once its last edge has delivered, as PyTorch's AccumulateGrad node does: a parameter
 * used twice in the forward is accumulated (and its post-accumulate-grad hooks run) once.
 */
final class LeafGradients {
    /** Edges still to deliver, per leaf that requires grad. */
    private final Map<Tensor, int[]> remaining = new IdentityHashMap<>();
    private final Map<Tensor, Tensor> sums = new IdentityHashMap<>();

    private LeafGradients() {}

    /** Counts, for every leaf that requires grad, the edges into it from the nodes of {@code order}. */
    static LeafGradients of(List<Node> order) {
        LeafGradients leaves = new LeafGradients();
        for (Node node : order) {
            for (Tensor input : node.inputs()) {
                if (input != null && input.gradFn() == null && input.requiresGrad()) {
                    leaves.remaining.computeIfAbsent(input, t -> new int[1])[0]++;
                }
            }
        }
        return leaves;
    }

    /**
     * Takes one edge's gradient for {@code leaf}; accumulates the sum when it was the last. An edge whose
     * producer gave no gradient counts as delivered by {@link #skip}.
     */
    void arrive(Tensor leaf, Tensor gradient) {
        Tensor sum = sums.merge(leaf, gradient, Tensor::add);
        if (--remaining.get(leaf)[0] == 0) {
            sums.remove(leaf);
            Autograd.accumulate(leaf, sum);
        }
    }

    /** An edge into {@code leaf} that carries no gradient (its node returned null for it). */
    void skip(Tensor leaf) {
        int[] left = remaining.get(leaf);
        if (left == null || --left[0] > 0) return;
        Tensor sum = sums.remove(leaf);
        if (sum != null) Autograd.accumulate(leaf, sum);
    }
}

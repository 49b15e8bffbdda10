package dev.myelin.autograd;

import dev.myelin.Shape;
import dev.myelin.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Records the graph as ops run (define-by-run) and walks it backwards. */
public final class Autograd {
    private Autograd() {}

    /** The {@code saved} of ops whose backward reads no tensor (add, views, ...). */
    public static final Tensor[] NOTHING_SAVED = new Tensor[0];

    /**
     * Attaches a node to {@code output} when grad mode is on and some input requires grad; returns
     * output. Ops compute their forward result first and call this last.
     *
     * <p>{@code saved} lists every tensor whose data the backward function reads, at most
     * {@link Node#MAX_SAVED} (null entries are skipped): the node records each one's version now, and its backward
     * fails if one was written in place since, as PyTorch's does. A tensor that the op made itself and never hands out
     * (a mask, a saved statistic) need not be listed; a view or a contiguous copy of an input is listed as that input.
     * The node keeps both arrays, so pass arrays built for this call.
     */
    public static Tensor record(String op, Tensor output, Tensor[] inputs, Tensor[] saved, BackwardFunction backward) {
        // Kept this small so that it inlines into each op: under no-grad (and inside backward) the
        // JIT then sees that the arrays and the closure the op built never escape, and drops them.
        if (!GradMode.isEnabled()) return output;
        return attach(op, output, inputs, saved, backward);
    }

    private static Tensor attach(String op, Tensor output, Tensor[] inputs, Tensor[] saved, BackwardFunction backward) {
        boolean anomaly = Anomaly.isEnabled();
        if (anomaly) Anomaly.checkForward(op, output, inputs);
        boolean any = false;
        for (Tensor t : inputs) any |= t != null && t.requiresGrad();
        if (!any) return output;
        output.attachGradFn(new Node(op, inputs, saved, backward, anomaly ? new Anomaly.ForwardTrace(op) : null));
        return output;
    }

    /**
     * Computes gradients of {@code root} with respect to every leaf that requires grad, adding them
     * to the leaves' {@code grad} (as PyTorch accumulates). {@code gradient} may be null only for
     * a one-element root. Unless {@code retainGraph}, the graph's saved tensors are freed.
     */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("backward: tensor of shape " + Shape.str(root.shape())
                    + " does not require grad and has no grad_fn");
        }
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("backward: grad can be implicitly created only for one-element "
                        + "outputs, got shape " + Shape.str(root.shape()) + "; pass a gradient");
            }
            gradient = Tensor.onesLike(root);
        } else if (!Arrays.equals(gradient.shape(), root.shape())) {
            throw new IllegalArgumentException("backward: gradient shape " + Shape.str(gradient.shape())
                    + " does not match output shape " + Shape.str(root.shape()));
        }
        try (var noGrad = GradMode.noGrad()) {
            run(root, gradient, retainGraph);
        }
    }

    private static void run(Tensor root, Tensor gradient, boolean retainGraph) {
        List<Node> order = root.gradFn() == null ? List.of() : topologicalOrder(root.gradFn());
        List<Runnable> callbacks = new ArrayList<>();
        List<Runnable> outer = QUEUED.get();
        QUEUED.set(callbacks);
        try {
            if (order.isEmpty()) accumulate(root, gradient);
            else walk(order, root, gradient, retainGraph);
        } finally {
            QUEUED.set(outer);
        }
        for (Runnable callback : callbacks) callback.run();
    }

    private static void walk(List<Node> order, Tensor root, Tensor gradient, boolean retainGraph) {
        LeafGradients leaves = LeafGradients.of(order);
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        Map<Node, Tensor> outputOf = new HashMap<>();
        pending.put(root.gradFn(), gradient);
        outputOf.put(root.gradFn(), root);
        for (Node node : order) {
            Tensor g = pending.remove(node);
            if (g == null) {
                for (Tensor input : node.inputs()) if (input != null) leaves.skip(input);
                continue;
            }
            Tensor produced = outputOf.remove(node);
            if (produced != null && produced.retainsGrad()) accumulate(produced, g);
            Tensor[] inputGrads = node.apply(g);
            if (Anomaly.isEnabled()) Anomaly.checkBackward(node, inputGrads);
            Tensor[] inputs = node.inputs();
            if (inputGrads.length != inputs.length) {
                throw new IllegalStateException("backward(" + node.op() + "): returned " + inputGrads.length
                        + " gradients for " + inputs.length + " inputs");
            }
            for (int i = 0; i < inputs.length; i++) {
                Tensor input = inputs[i];
                if (input == null || !input.requiresGrad()) continue;
                if (inputGrads[i] == null) {
                    leaves.skip(input);
                    continue;
                }
                Tensor gi = inputGrads[i];
                if (!Arrays.equals(gi.shape(), input.shape())) {
                    throw new IllegalStateException("backward(" + node.op() + "): gradient for input " + i
                            + " has shape " + Shape.str(gi.shape()) + " but the input has shape "
                            + Shape.str(input.shape()));
                }
                Node producer = input.gradFn();
                if (producer == null) {
                    leaves.arrive(input, gi);
                } else {
                    pending.merge(producer, gi, Tensor::add);
                    outputOf.putIfAbsent(producer, input);
                }
            }
            if (!retainGraph) node.release();
        }
    }

    /**
     * Adds g to t.grad out of place, so gradients never alias one another, then runs the leaf's
     * post-accumulate-grad hooks.
     */
    static void accumulate(Tensor t, Tensor g) {
        Tensor old = t.grad();
        t.setGrad(old == null ? g : old.add(g));
        if (t.isLeaf()) t.runPostAccumulateGradHooks();
    }

    /** Callbacks queued by {@link #queueCallback} during the backward pass running on this thread. */
    private static final ThreadLocal<List<Runnable>> QUEUED = new ThreadLocal<>();

    /**
     * Runs {@code callback} once the backward pass now running on this thread has walked the whole graph
     * (PyTorch's {@code Variable._execution_engine.queue_callback}): DistributedDataParallel waits for its
     * gradient reductions there. Callbacks run in the order queued; only a hook called during backward may
     * queue one.
     */
    public static void queueCallback(Runnable callback) {
        List<Runnable> queued = QUEUED.get();
        if (queued == null) {
            throw new IllegalStateException("queueCallback: no backward pass is running on this thread; "
                    + "call it from a gradient hook");
        }
        queued.add(callback);
    }

    /** Nodes in an order where every node comes before the nodes of its inputs. */
    private static List<Node> topologicalOrder(Node root) {
        List<Node> postOrder = new ArrayList<>();
        java.util.Set<Node> visited = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Node node = (Node) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = node.inputs();
            boolean descended = false;
            while (next < inputs.length) {
                Tensor in = inputs[next++];
                Node child = in == null ? null : in.gradFn();
                if (child != null && visited.add(child)) {
                    frame[1] = next;
                    stack.push(new Object[] {child, 0});
                    descended = true;
                    break;
                }
            }
            if (!descended) {
                stack.pop();
                postOrder.add(node);
            }
        }
        java.util.Collections.reverse(postOrder);
        return postOrder;
    }

}

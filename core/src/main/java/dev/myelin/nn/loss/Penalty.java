package dev.myelin.nn.loss;

import dev.myelin.Tensor;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.Linear;
import dev.myelin.nn.Module;
import dev.myelin.ops.Checks;

import java.util.ArrayList;
import java.util.List;

/**
 * An L1 and/or L2 penalty over chosen parameters, added to a loss through autograd:
 * {@code l1 * sum|p| + (l2 / 2) * sum p^2}. The 1/2 makes the L2 term's gradient {@code l2 * p},
 * the same as SGD's weight_decay = l2.
 */
public final class Penalty {
    private final double l1, l2;
    private final List<Tensor> params;

    private Penalty(double l1, double l2, List<Tensor> params) {
        Checks.finiteNonNegative("Penalty", "l1", l1);
        Checks.finiteNonNegative("Penalty", "l2", l2);
        if (params.isEmpty()) throw new IllegalArgumentException("Penalty: no parameters to penalize");
        this.l1 = l1;
        this.l2 = l2;
        this.params = List.copyOf(params);
    }

    /** {@code lambda * sum|p|} over {@code params}. */
    public static Penalty l1(double lambda, List<Tensor> params) {
        return new Penalty(lambda, 0, params);
    }

    /** {@code (lambda / 2) * sum p^2} over {@code params}. */
    public static Penalty l2(double lambda, List<Tensor> params) {
        return new Penalty(0, lambda, params);
    }

    /** Both terms (elastic net). */
    public static Penalty elasticNet(double l1, double l2, List<Tensor> params) {
        return new Penalty(l1, l2, params);
    }

    /**
     * The weights of every {@link Linear} and {@link Conv2d} in {@code model}: what a penalty
     * usually covers, leaving biases and normalization parameters alone.
     */
    public static List<Tensor> weightsOf(Module model) {
        List<Tensor> out = new ArrayList<>();
        collectWeights(model, out);
        return out;
    }

    private static void collectWeights(Module m, List<Tensor> out) {
        if (m instanceof Linear linear) out.add(linear.weight);
        if (m instanceof Conv2d conv) out.add(conv.weight);
        for (Module c : m.namedChildren().values()) collectWeights(c, out);
    }

    /** The penalty's current value, a scalar in the graph. */
    public Tensor compute() {
        Tensor total = null;
        for (Tensor p : params) {
            Tensor term = null;
            if (l1 != 0) term = p.abs().sum().mul(l1);
            if (l2 != 0) {
                Tensor sq = p.square().sum().mul(l2 / 2);
                term = term == null ? sq : term.add(sq);
            }
            if (term == null) term = p.sum().mul(0);
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    public List<Tensor> params() {
        return params;
    }
}

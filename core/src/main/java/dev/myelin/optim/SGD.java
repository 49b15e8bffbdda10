package dev.myelin.optim;

import dev.myelin.Tensor;
import dev.myelin.backend.Optim;

import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum and weight decay
 * (torch.optim.SGD). The learning rate has no default.
 * <pre>{@code SGD opt = SGD.with().lr(0.05).momentum(0.9).nesterov(true).weightDecay(5e-4)
 *         .build(model.parameters());}</pre>
 */
public final class SGD extends Optimizer {
    private SGD(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("SGD", groups, defaults);
    }

    public static Builder with() {
        return new Builder();
    }

    public static final class Builder extends OptimizerBuilder<Builder, SGD> {
        private Builder() {
            super(Map.of("momentum", 0.0, "dampening", 0.0, "nesterov", 0.0, "weight_decay", 0.0));
        }

        public Builder momentum(double momentum) {
            return set("momentum", momentum);
        }

        public Builder dampening(double dampening) {
            return set("dampening", dampening);
        }

        public Builder nesterov(boolean nesterov) {
            return set("nesterov", nesterov);
        }

        @Override
        protected String name() {
            return "SGD";
        }

        @Override
        protected SGD create(List<ParamGroup> groups, Map<String, Double> defaults) {
            return new SGD(groups, defaults);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "momentum", "momentum value");
        requireFinite(g, "dampening", "dampening value");
        requireNonNegative(g, "weight_decay", "weight_decay value");
        requireFlag(g, "nesterov");
        if (flag(g, "nesterov") && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening "
                    + "(momentum " + g.get("momentum") + ", dampening " + g.get("dampening") + ")");
        }
    }

    @Override
    protected void update(Optim kernels, ParamGroup g, Tensor param, Tensor grad, ParamState s) {
        double momentum = g.get("momentum");
        Tensor buf = null;
        boolean first = false;
        if (momentum != 0) {
            first = s.buffer("momentum_buffer") == null;
            buf = s.buffer("momentum_buffer", param, 0);
        }
        kernels.sgd(param, grad, buf, g.lr(), momentum, g.get("dampening"), flag(g, "nesterov"),
                g.get("weight_decay"), first);
    }
}

package dev.myelin.optim;

import dev.myelin.Tensor;
import dev.myelin.backend.Optim;

import java.util.List;
import java.util.Map;

/** RMSprop, plain or centered, with optional momentum and weight decay (torch.optim.RMSprop and its defaults). */
public final class RMSprop extends Optimizer {
    private RMSprop(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("RMSprop", groups, defaults);
    }

    public static Builder with() {
        return new Builder();
    }

    public static final class Builder extends OptimizerBuilder<Builder, RMSprop> {
        private Builder() {
            super(Map.of("lr", 1e-2, "alpha", 0.99, "eps", 1e-8, "weight_decay", 0.0, "momentum", 0.0,
                    "centered", 0.0));
        }

        public Builder alpha(double alpha) {
            return set("alpha", alpha);
        }

        public Builder eps(double eps) {
            return set("eps", eps);
        }

        public Builder momentum(double momentum) {
            return set("momentum", momentum);
        }

        public Builder centered(boolean centered) {
            return set("centered", centered);
        }

        @Override
        protected String name() {
            return "RMSprop";
        }

        @Override
        protected RMSprop create(List<ParamGroup> groups, Map<String, Double> defaults) {
            return new RMSprop(groups, defaults);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "eps", "epsilon value");
        requireNonNegative(g, "momentum", "momentum value");
        requireNonNegative(g, "weight_decay", "weight_decay value");
        requireNonNegative(g, "alpha", "alpha value");
        requireFlag(g, "centered");
    }

    @Override
    protected void update(Optim kernels, ParamGroup g, Tensor param, Tensor grad, ParamState s) {
        Tensor squareAvg = s.buffer("square_avg", param, 0);
        Tensor gradAvg = flag(g, "centered") ? s.buffer("grad_avg", param, 0) : null;
        Tensor buf = g.get("momentum") > 0 ? s.buffer("momentum_buffer", param, 0) : null;
        kernels.rmsprop(param, grad, squareAvg, gradAvg, buf, g.lr(), g.get("alpha"), g.get("eps"),
                g.get("weight_decay"), g.get("momentum"));
    }
}

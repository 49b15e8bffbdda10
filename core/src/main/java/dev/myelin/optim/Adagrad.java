package dev.myelin.optim;

import dev.myelin.Tensor;
import dev.myelin.backend.Optim;

import java.util.List;
import java.util.Map;

/** Adagrad with learning-rate decay and an initial accumulator value (torch.optim.Adagrad and its defaults). */
public final class Adagrad extends Optimizer {
    private Adagrad(List<ParamGroup> groups, Map<String, Double> defaults) {
        super("Adagrad", groups, defaults);
    }

    public static Builder with() {
        return new Builder();
    }

    public static final class Builder extends OptimizerBuilder<Builder, Adagrad> {
        private Builder() {
            super(Map.of("lr", 1e-2, "lr_decay", 0.0, "weight_decay", 0.0, "initial_accumulator_value", 0.0,
                    "eps", 1e-10));
        }

        public Builder lrDecay(double lrDecay) {
            return set("lr_decay", lrDecay);
        }

        public Builder initialAccumulatorValue(double value) {
            return set("initial_accumulator_value", value);
        }

        public Builder eps(double eps) {
            return set("eps", eps);
        }

        @Override
        protected String name() {
            return "Adagrad";
        }

        @Override
        protected Adagrad create(List<ParamGroup> groups, Map<String, Double> defaults) {
            return new Adagrad(groups, defaults);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "lr_decay", "lr_decay value");
        requireNonNegative(g, "weight_decay", "weight_decay value");
        requireNonNegative(g, "initial_accumulator_value", "initial_accumulator_value");
        requireNonNegative(g, "eps", "epsilon value");
    }

    @Override
    protected void update(Optim kernels, ParamGroup g, Tensor param, Tensor grad, ParamState s) {
        Tensor sum = s.buffer("sum", param, g.get("initial_accumulator_value"));
        double clr = g.lr() / (1 + (s.step() - 1) * g.get("lr_decay"));
        kernels.adagrad(param, grad, sum, clr, g.get("weight_decay"), g.get("eps"));
    }
}

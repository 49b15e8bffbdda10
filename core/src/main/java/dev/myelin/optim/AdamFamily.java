package dev.myelin.optim;

import dev.myelin.Tensor;
import dev.myelin.backend.Optim;

import java.util.List;
import java.util.Map;

/** What Adam and AdamW share: options, validation and the fused update; they differ in weight decay only. */
public abstract sealed class AdamFamily extends Optimizer permits Adam, AdamW {
    private final boolean decoupled;

    AdamFamily(String name, boolean decoupled, List<ParamGroup> groups, Map<String, Double> defaults) {
        super(name, groups, defaults);
        this.decoupled = decoupled;
    }

    /** Adam's and AdamW's options; weight decay's default differs. */
    public static final class Builder<O extends AdamFamily> extends OptimizerBuilder<Builder<O>, O> {
        private final String name;
        private final java.util.function.BiFunction<List<ParamGroup>, Map<String, Double>, O> factory;

        Builder(String name, double weightDecay,
                java.util.function.BiFunction<List<ParamGroup>, Map<String, Double>, O> factory) {
            super(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", weightDecay,
                    "amsgrad", 0.0));
            this.name = name;
            this.factory = factory;
        }

        public Builder<O> betas(double beta1, double beta2) {
            return set("beta1", beta1).set("beta2", beta2);
        }

        public Builder<O> eps(double eps) {
            return set("eps", eps);
        }

        public Builder<O> amsgrad(boolean amsgrad) {
            return set("amsgrad", amsgrad);
        }

        @Override
        protected String name() {
            return name;
        }

        @Override
        protected O create(List<ParamGroup> groups, Map<String, Double> defaults) {
            return factory.apply(groups, defaults);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        requireNonNegative(g, "eps", "epsilon value");
        requireUnitInterval(g, "beta1", "beta parameter at index 0");
        requireUnitInterval(g, "beta2", "beta parameter at index 1");
        requireNonNegative(g, "weight_decay", "weight_decay value");
        requireFlag(g, "amsgrad");
    }

    @Override
    protected void update(Optim kernels, ParamGroup g, Tensor param, Tensor grad, ParamState s) {
        Tensor expAvg = s.buffer("exp_avg", param, 0);
        Tensor expAvgSq = s.buffer("exp_avg_sq", param, 0);
        Tensor maxExpAvgSq = flag(g, "amsgrad") ? s.buffer("max_exp_avg_sq", param, 0) : null;
        kernels.adam(param, grad, expAvg, expAvgSq, maxExpAvgSq, g.lr(), g.get("beta1"), g.get("beta2"), g.get("eps"),
                g.get("weight_decay"), decoupled, s.step());
    }
}

package dev.myelin.optim.lr;

import dev.myelin.optim.Optimizer;
import dev.myelin.optim.ParamGroup;

/**
 * The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR), stepped once per batch: the lr rises
 * from maxLr / divFactor to maxLr over the first pctStart of totalSteps, then anneals to
 * initial / finalDivFactor (three phases: up, back down to the initial lr, then to the minimum).
 * With cycleMomentum the momentum (SGD, RMSprop) or beta1 (Adam, AdamW) moves inversely between
 * maxMomentum and baseMomentum. Stepping past totalSteps is an error, as in PyTorch.
 * <pre>{@code new OneCycleLR.Builder(0.1, epochs * batchesPerEpoch).pctStart(0.25).build(optimizer)}</pre>
 */
public final class OneCycleLR extends LRScheduler {
    private final int totalSteps;
    private final boolean cosine, cycleMomentum;
    private final Phase[] phases;

    /** One phase: ends at step {@code end}, moving between these group options. */
    private record Phase(double end, String startLr, String endLr, String startMomentum, String endMomentum) {
    }

    /** OneCycleLR's options with PyTorch's defaults. */
    public static final class Builder {
        private final double maxLr;
        private final int totalSteps;
        private double pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4, baseMomentum = 0.85, maxMomentum = 0.95;
        private String annealStrategy = "cos";
        private boolean cycleMomentum = true, threePhase;

        public Builder(double maxLr, int totalSteps) {
            this.maxLr = maxLr;
            this.totalSteps = totalSteps;
        }

        public Builder pctStart(double v) { pctStart = v; return this; }

        /** "cos" or "linear". */
        public Builder annealStrategy(String v) { annealStrategy = v; return this; }

        public Builder cycleMomentum(boolean v) { cycleMomentum = v; return this; }

        public Builder momentum(double base, double max) { baseMomentum = base; maxMomentum = max; return this; }

        public Builder divFactor(double v) { divFactor = v; return this; }

        public Builder finalDivFactor(double v) { finalDivFactor = v; return this; }

        public Builder threePhase(boolean v) { threePhase = v; return this; }

        public OneCycleLR build(Optimizer optimizer) {
            return new OneCycleLR(optimizer, this);
        }
    }

    private OneCycleLR(Optimizer optimizer, Builder b) {
        super("OneCycleLR", prepare(optimizer, b));
        this.totalSteps = b.totalSteps;
        this.cosine = b.annealStrategy.equals("cos");
        this.cycleMomentum = b.cycleMomentum;
        double up = b.pctStart * totalSteps - 1;
        phases = b.threePhase
                ? new Phase[] {new Phase(up, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                        new Phase(2 * b.pctStart * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                        new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")}
                : new Phase[] {new Phase(up, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                        new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")};
        initialStep();
    }

    /** Checks the options and writes PyTorch's per-group entries (initial_lr, max_lr, min_lr, momentum bounds). */
    private static Optimizer prepare(Optimizer optimizer, Builder b) {
        String name = "OneCycleLR";
        if (b.totalSteps <= 0) throw invalid(name, "expected positive integer total_steps, but got " + b.totalSteps);
        if (!(b.pctStart >= 0 && b.pctStart <= 1)) throw invalid(name, "expected float between 0 and 1 pct_start, but got " + b.pctStart);
        if (!b.annealStrategy.equals("cos") && !b.annealStrategy.equals("linear")) {
            throw invalid(name, "anneal_strategy must by one of 'cos' or 'linear', instead got " + b.annealStrategy);
        }
        for (ParamGroup g : optimizer.paramGroups()) {
            double initial = b.maxLr / b.divFactor;
            g.set("initial_lr", initial).set("max_lr", b.maxLr).set("min_lr", initial / b.finalDivFactor);
            if (b.cycleMomentum) {
                g.set(momentumOption(g), b.maxMomentum).set("max_momentum", b.maxMomentum).set("base_momentum", b.baseMomentum);
            }
        }
        return optimizer;
    }

    /** Adam-family groups cycle beta1, the others momentum. */
    private static String momentumOption(ParamGroup g) {
        if (g.has("beta1")) return "beta1";
        if (g.has("momentum")) return "momentum";
        throw invalid("OneCycleLR", "optimizer must support momentum with `cycle_momentum` option enabled");
    }

    private double anneal(double start, double end, double pct) {
        return cosine ? end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
    }

    @Override
    protected double[] chainableLr() {
        if (lastEpoch > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (lastEpoch + 1) + " times; the specified number of total steps is "
                    + totalSteps);
        }
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            ParamGroup g = optimizer.paramGroups().get(i);
            double start = 0;
            for (int p = 0; p < phases.length; p++) {
                Phase phase = phases[p];
                if (lastEpoch <= phase.end() || p == phases.length - 1) {
                    double pct = (lastEpoch - start) / (phase.end() - start);
                    lrs[i] = anneal(g.get(phase.startLr()), g.get(phase.endLr()), pct);
                    if (cycleMomentum) g.set(momentumOption(g), anneal(g.get(phase.startMomentum()), g.get(phase.endMomentum()), pct));
                    break;
                }
                start = phase.end();
            }
        }
        return lrs;
    }
}

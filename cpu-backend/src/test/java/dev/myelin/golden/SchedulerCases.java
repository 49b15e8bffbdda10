package dev.myelin.golden;

import dev.myelin.Tensor;
import dev.myelin.optim.SGD;
import dev.myelin.optim.lr.ConstantLR;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.optim.lr.ExponentialLR;
import dev.myelin.optim.lr.LRScheduler;
import dev.myelin.optim.lr.LinearLR;
import dev.myelin.optim.lr.MultiStepLR;
import dev.myelin.optim.lr.OneCycleLR;
import dev.myelin.optim.lr.PolynomialLR;
import dev.myelin.optim.lr.ReduceLROnPlateau;
import dev.myelin.optim.lr.SequentialLR;
import dev.myelin.optim.lr.StepLR;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * lr_schedule: an SGD optimizer over one parameter with lr {@code base_lr}, driven by the
 * scheduler of {@code kind} for {@code epochs} epochs; {@code lr_per_epoch} is the lr in force
 * during each epoch, read before stepping. reduce_on_plateau steps with the input
 * {@code metrics}, one per epoch. sequential runs {@code warmup} until {@code milestone}, then
 * {@code then}, each an object with its own kind and parameters.
 */
final class SchedulerCases {
    private SchedulerCases() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("lr_schedule", SchedulerCases::schedule);
    }

    private static GoldenOutputs schedule(GoldenCase c) {
        GoldenParams p = c.params();
        String kind = p.string("kind", null);
        if (kind == null) fail("parameter 'kind' is required");
        int epochs = p.integer("epochs", -1);
        if (epochs < 0) fail("parameter 'epochs' is required");
        SGD opt = SGD.with().lr(p.number("base_lr")).build(List.of(Tensor.of(new double[] {1}, 1)));
        double[] lrs = new double[epochs];
        if (kind.equals("reduce_on_plateau")) {
            ReduceLROnPlateau plateau = plateau(p, opt);
            double[] metrics = c.numbers("metrics");
            if (metrics.length != epochs) {
                fail("input 'metrics' has " + metrics.length + " values for " + epochs + " epochs");
            }
            for (int e = 0; e < epochs; e++) {
                lrs[e] = opt.paramGroups().getFirst().lr();
                plateau.step(metrics[e]);
            }
        } else {
            LRScheduler s = scheduler(kind, p, opt, epochs);
            for (int e = 0; e < epochs; e++) {
                lrs[e] = opt.paramGroups().getFirst().lr();
                s.step();
            }
        }
        return new GoldenOutputs().put("lr_per_epoch", lrs);
    }

    private static LRScheduler scheduler(String kind, GoldenParams p, SGD opt, int epochs) {
        return switch (kind) {
            case "step" -> new StepLR(opt, p.integer("step_size", -1), p.number("gamma", 0.1));
            case "multistep" -> new MultiStepLR(opt, p.ints("milestones"), p.number("gamma", 0.1));
            case "exponential" -> new ExponentialLR(opt, p.number("gamma"));
            case "constant" -> new ConstantLR(opt, p.number("factor", 1.0 / 3), p.integer("total_iters", 5));
            case "linear" -> new LinearLR(opt, p.number("start_factor", 1.0 / 3), p.number("end_factor", 1.0),
                    p.integer("total_iters", 5));
            case "polynomial" -> new PolynomialLR(opt, p.integer("total_iters", 5), p.number("power", 1.0));
            case "cosine" -> new CosineAnnealingLR(opt, p.integer("T_max", -1), p.number("eta_min", 0));
            case "onecycle" -> oneCycle(p, opt, epochs);
            case "sequential" -> sequential(p, opt, epochs);
            default -> fail("unknown lr_schedule kind '" + kind + "'");
        };
    }

    private static OneCycleLR oneCycle(GoldenParams p, SGD opt, int epochs) {
        OneCycleLR.Builder b = OneCycleLR.with(p.number("max_lr"))
                .pctStart(p.number("pct_start", 0.3))
                .annealStrategy(OneCycleLR.AnnealStrategy.valueOf(p.string("anneal_strategy", "cos")
                        .toUpperCase(Locale.ROOT)))
                .cycleMomentum(p.bool("cycle_momentum", true))
                .baseMomentum(p.number("base_momentum", 0.85))
                .maxMomentum(p.number("max_momentum", 0.95))
                .divFactor(p.number("div_factor", 25))
                .finalDivFactor(p.number("final_div_factor", 1e4))
                .threePhase(p.bool("three_phase", false));
        Integer total = p.integerOrNull("total_steps");
        Integer perEpoch = p.integerOrNull("steps_per_epoch");
        if (total != null) b.totalSteps(total);
        else if (perEpoch != null) b.epochs(epochs, perEpoch);
        return b.build(opt);
    }

    /** The sub-schedulers' own parameters are checked here: the runner only sees the top level. */
    private static SequentialLR sequential(GoldenParams p, SGD opt, int epochs) {
        GoldenParams warmup = p.objectOrNull("warmup");
        GoldenParams then = p.objectOrNull("then");
        if (warmup == null || then == null) fail("sequential needs parameters 'warmup' and 'then'");
        int milestone = p.integer("milestone", -1);
        if (milestone < 0) fail("parameter 'milestone' is required");
        LRScheduler first = scheduler(warmup.string("kind", "?"), warmup, opt, epochs);
        LRScheduler second = scheduler(then.string("kind", "?"), then, opt, epochs);
        warmup.unknown().forEach(k -> fail("unknown parameter 'warmup." + k + "'"));
        then.unknown().forEach(k -> fail("unknown parameter 'then." + k + "'"));
        return new SequentialLR(opt, List.of(first, second), new int[] {milestone});
    }

    private static ReduceLROnPlateau plateau(GoldenParams p, SGD opt) {
        return ReduceLROnPlateau.with()
                .mode(ReduceLROnPlateau.Mode.valueOf(p.string("mode", "min").toUpperCase(Locale.ROOT)))
                .factor(p.number("factor", 0.1))
                .patience(p.integer("patience", 10))
                .threshold(p.number("threshold", 1e-4))
                .thresholdMode(ReduceLROnPlateau.ThresholdMode.valueOf(p.string("threshold_mode", "rel")
                        .toUpperCase(Locale.ROOT)))
                .cooldown(p.integer("cooldown", 0))
                .minLr(p.number("min_lr", 0))
                .eps(p.number("eps", 1e-8))
                .build(opt);
    }
}

package dev.myelin.cpu.golden;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.optim.SGD;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.optim.lr.ExponentialLR;
import dev.myelin.optim.lr.LRScheduler;
import dev.myelin.optim.lr.LinearLR;
import dev.myelin.optim.lr.MultiStepLR;
import dev.myelin.optim.lr.OneCycleLR;
import dev.myelin.optim.lr.PolynomialLR;
import dev.myelin.optim.lr.ReduceLROnPlateau;
import dev.myelin.optim.lr.Scheduler;
import dev.myelin.optim.lr.SequentialLR;
import dev.myelin.optim.lr.StepLR;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * lr_schedule: an SGD optimizer at base_lr driven by Myelin's scheduler of the case's kind;
 * lr_per_epoch is the lr in force during each epoch, read before stepping (reduce-on-plateau
 * steps with that epoch's metric).
 */
final class SchedulerCases {
    private SchedulerCases() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("lr_schedule", SchedulerCases::run);
    }

    private static GoldenOutputs run(GoldenCase c) {
        GoldenParams p = c.params();
        int epochs = p.integer("epochs", 0);
        SGD sgd = SGD.with().lr(p.number("base_lr")).build(List.of(Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true)));
        DoubleConsumer step;
        if (p.string("kind", "").equals("reduce_on_plateau")) {
            ReduceLROnPlateau plateau = new ReduceLROnPlateau.Builder().mode(p.string("mode", "min")).factor(p.number("factor", 0.1))
                    .patience(p.integer("patience", 10)).threshold(p.number("threshold", 1e-4), p.string("threshold_mode", "rel"))
                    .cooldown(p.integer("cooldown", 0)).minLr(p.number("min_lr", 0)).eps(p.number("eps", 1e-8)).build(sgd);
            step = plateau::step;
        } else {
            Scheduler s = p.string("kind", "").equals("sequential") ? sequential(sgd, p) : schedule(sgd, p.string("kind", ""), p);
            step = metric -> s.step();
        }
        double[] metrics = c.hasInput("metrics") ? c.numbersInput("metrics") : new double[epochs];
        double[] lrs = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            lrs[e] = sgd.paramGroups().getFirst().lr();
            step.accept(metrics[e]);
        }
        return new GoldenOutputs().put("lr_per_epoch", lrs);
    }

    private static SequentialLR sequential(SGD sgd, GoldenParams p) {
        GoldenParams warmup = p.nested("warmup"), then = p.nested("then");
        LRScheduler first = schedule(sgd, warmup.string("kind", ""), warmup);
        LRScheduler second = schedule(sgd, then.string("kind", ""), then);
        requireAllKnown(warmup);
        requireAllKnown(then);
        return new SequentialLR(sgd, List.of(first, second), new int[] {p.integer("milestone", 0)});
    }

    private static LRScheduler schedule(SGD sgd, String kind, GoldenParams p) {
        return switch (kind) {
            case "step" -> new StepLR(sgd, p.integer("step_size", 0), p.number("gamma", 0.1));
            case "multistep" -> new MultiStepLR(sgd, p.ints("milestones"), p.number("gamma", 0.1));
            case "exponential" -> new ExponentialLR(sgd, p.number("gamma"));
            case "linear" -> new LinearLR(sgd, p.number("start_factor", 1.0 / 3), p.number("end_factor", 1.0), p.integer("total_iters", 5));
            case "polynomial" -> new PolynomialLR(sgd, p.integer("total_iters", 5), p.number("power", 1.0));
            case "cosine" -> new CosineAnnealingLR(sgd, p.integer("T_max", 0), p.number("eta_min", 0));
            case "onecycle" -> new OneCycleLR.Builder(p.number("max_lr"), p.integer("total_steps", 0))
                    .pctStart(p.number("pct_start", 0.3)).annealStrategy(p.string("anneal_strategy", "cos"))
                    .divFactor(p.number("div_factor", 25)).finalDivFactor(p.number("final_div_factor", 1e4))
                    .cycleMomentum(p.bool("cycle_momentum", true)).threePhase(p.bool("three_phase", false)).build(sgd);
            default -> fail("lr_schedule: unknown kind \"" + kind + "\"");
        };
    }

    private static void requireAllKnown(GoldenParams nested) {
        if (!nested.unknown().isEmpty()) fail("lr_schedule: unknown nested parameters " + nested.unknown());
    }
}

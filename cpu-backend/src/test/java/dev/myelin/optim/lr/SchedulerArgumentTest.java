package dev.myelin.optim.lr;

import dev.myelin.optim.Adagrad;
import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static dev.myelin.optim.lr.Schedules.param;
import static dev.myelin.optim.lr.Schedules.sgd;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad scheduler arguments: IllegalArgumentException naming the scheduler and the argument. */
class SchedulerArgumentTest {
    private static void rejects(String message, Executable build) {
        var e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(message), () -> "expected \"" + message + "\" in: " + e.getMessage());
    }

    @Test
    void epochSchedulers() {
        SGD opt = sgd(0.1);
        rejects("StepLR: step_size must be positive, got 0", () -> new StepLR(opt, 0));
        rejects("ConstantLR: factor expected to be in (0, 1], got 1.5", () -> new ConstantLR(opt, 1.5, 3));
        rejects("ConstantLR: factor expected to be in (0, 1], got 0.0", () -> new ConstantLR(opt, 0, 3));
        rejects("ConstantLR: total_iters must be >= 0, got -1", () -> new ConstantLR(opt, 0.5, -1));
        rejects("LinearLR: start_factor expected to be in (0, 1], got 0.0", () -> new LinearLR(opt, 0, 1, 5));
        rejects("LinearLR: end_factor expected to be in [0, 1], got 2.0", () -> new LinearLR(opt, 0.5, 2, 5));
        rejects("LinearLR: total_iters must be positive, got 0", () -> new LinearLR(opt, 0.5, 1, 0));
        rejects("PolynomialLR: total_iters must be positive, got 0", () -> new PolynomialLR(opt, 0, 1));
        rejects("CosineAnnealingLR: T_max must be positive, got 0", () -> new CosineAnnealingLR(opt, 0));
        rejects("StepLR: optimizer is null", () -> new StepLR(null, 2));
    }

    @Test
    void composites() {
        SGD opt = sgd(0.1), other = sgd(0.1);
        rejects("ChainedScheduler: schedulers is empty", () -> new ChainedScheduler(List.of()));
        rejects("ChainedScheduler: expects all schedulers to belong to the same optimizer, but got schedulers at index "
                + "0 and 1",
                () -> new ChainedScheduler(List.of(new ExponentialLR(opt, 0.9), new ExponentialLR(other, 0.9))));
        rejects("SequentialLR: expects all schedulers to belong to the same optimizer, but got schedulers at index 1",
                () -> new SequentialLR(opt, List.of(new ExponentialLR(opt, 0.9), new ExponentialLR(other, 0.9)),
                        new int[] {2}));
        rejects("SequentialLR: expects number of schedulers provided to be one more than the number of milestone "
                + "points, but got number of schedulers 2 and the number of milestones 2",
                () -> new SequentialLR(opt, List.of(new ExponentialLR(opt, 0.9), new ExponentialLR(opt, 0.9)),
                        new int[] {2, 3}));
        rejects("SequentialLR: milestones must be increasing, got [4, 2]", () -> new SequentialLR(opt,
                List.of(new ExponentialLR(opt, 0.9), new ExponentialLR(opt, 0.9), new ExponentialLR(opt, 0.9)),
                new int[] {4, 2}));
        rejects("SequentialLR: scheduler at index 1 is a ChainedScheduler", () -> new SequentialLR(opt,
                List.of(new ExponentialLR(opt, 0.9), new ChainedScheduler(List.of(new ExponentialLR(opt, 0.9)))),
                new int[] {2}));
    }

    @Test
    void oneCycle() {
        SGD opt = sgd(0.1, 0.2);
        rejects("OneCycleLR: you must define either total_steps OR (epochs AND steps_per_epoch)",
                () -> OneCycleLR.with(1).build(opt));
        rejects("OneCycleLR: expected positive integer total_steps, but got 0",
                () -> OneCycleLR.with(1).totalSteps(0).build(opt));
        rejects("OneCycleLR: expected positive integer epochs, but got 0",
                () -> OneCycleLR.with(1).epochs(0, 5).build(opt));
        rejects("OneCycleLR: expected positive integer steps_per_epoch, but got -1",
                () -> OneCycleLR.with(1).epochs(2, -1).build(opt));
        rejects("OneCycleLR: expected float between 0 and 1 pct_start, but got 1.5",
                () -> OneCycleLR.with(1).totalSteps(9).pctStart(1.5).build(opt));
        rejects("OneCycleLR: expected 2 values for max_lr, got 3",
                () -> OneCycleLR.with(1, 2, 3).totalSteps(9).build(opt));
        rejects("OneCycleLR: expected 2 values for max_momentum, got 3",
                () -> OneCycleLR.with(1).totalSteps(9).maxMomentum(0.9, 0.9, 0.9).build(opt));
        rejects("OneCycleLR: div_factor must be positive, got 0.0",
                () -> OneCycleLR.with(1).totalSteps(9).divFactor(0).build(opt));
        rejects("OneCycleLR: final_div_factor must be positive, got -1.0",
                () -> OneCycleLR.with(1).totalSteps(9).finalDivFactor(-1).build(opt));
        Adagrad adagrad = Adagrad.with().lr(0.1).build(List.of(param()));
        rejects("OneCycleLR: optimizer must support momentum with `cycle_momentum` option enabled",
                () -> OneCycleLR.with(1).totalSteps(9).build(adagrad));
    }

    @Test
    void reduceOnPlateau() {
        SGD opt = sgd(0.1, 0.2);
        rejects("ReduceLROnPlateau: factor should be < 1.0, got 1.0",
                () -> ReduceLROnPlateau.with().factor(1).build(opt));
        rejects("ReduceLROnPlateau: expected 2 min_lrs, got 3",
                () -> ReduceLROnPlateau.with().minLr(0, 0, 0).build(opt));
        rejects("ReduceLROnPlateau: patience must be >= 0, got -1",
                () -> ReduceLROnPlateau.with().patience(-1).build(opt));
        rejects("ReduceLROnPlateau: cooldown must be >= 0, got -2",
                () -> ReduceLROnPlateau.with().cooldown(-2).build(opt));
        rejects("ReduceLROnPlateau: mode is null", () -> ReduceLROnPlateau.with().mode(null).build(opt));
    }
}

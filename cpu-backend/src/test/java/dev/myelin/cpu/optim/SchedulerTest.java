package dev.myelin.cpu.optim;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.optim.Adam;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.ParamGroup;
import dev.myelin.optim.SGD;
import dev.myelin.optim.lr.ChainedScheduler;
import dev.myelin.optim.lr.ConstantLR;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.optim.lr.ExponentialLR;
import dev.myelin.optim.lr.LinearLR;
import dev.myelin.optim.lr.OneCycleLR;
import dev.myelin.optim.lr.ReduceLROnPlateau;
import dev.myelin.optim.lr.Scheduler;
import dev.myelin.optim.lr.SequentialLR;
import dev.myelin.optim.lr.StepLR;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules beyond the golden cases: several groups, chaining, one-cycle's momentum, plateau in
 * max mode with cooldown, state round trips. Reference values: PyTorch 1.13, reading each group's
 * lr (and momentum / betas[0]) before every step, e.g.
 * {@code L.ChainedScheduler([L.ConstantLR(o, factor=0.5, total_iters=3), L.ExponentialLR(o, gamma=0.9)])}.
 */
class SchedulerTest {
    private static Tensor param() {
        return Tensor.zeros(DType.FLOAT64, 1).requiresGrad(true);
    }

    /** SGD(momentum 0.9) with groups at lr 0.1 and 0.01. */
    private static SGD twoGroups() {
        return SGD.with().lr(0.1).momentum(0.9).buildGroups(List.of(ParamGroup.of(List.of(param())),
                ParamGroup.of(List.of(param())).set("lr", 0.01)));
    }

    /** Each group's lr (and the option {@code extra} of group 0, if given) before each of n steps. */
    private static double[][] trace(Optimizer opt, Scheduler s, int n, String extra) {
        double[][] out = new double[n][];
        for (int e = 0; e < n; e++) {
            double[] lrs = opt.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
            if (extra != null) {
                lrs = java.util.Arrays.copyOf(lrs, lrs.length + 1);
                lrs[lrs.length - 1] = opt.paramGroups().getFirst().get(extra);
            }
            out[e] = lrs;
            s.step();
        }
        return out;
    }

    private static void assertTrace(double[][] expected, double[][] actual) {
        for (int e = 0; e < expected.length; e++) assertArrayEquals(expected[e], actual[e], 1e-12, "epoch " + e);
    }

    @Test
    void chainedSchedulesMultiplyPerGroup() {
        SGD opt = twoGroups();
        Scheduler s = new ChainedScheduler(List.of(new ConstantLR(opt, 0.5, 3), new ExponentialLR(opt, 0.9)));
        assertTrace(new double[][] {{0.05, 0.005}, {0.045000000000000005, 0.0045000000000000005},
                {0.04050000000000001, 0.004050000000000001}, {0.07290000000000002, 0.007290000000000001},
                {0.06561000000000002, 0.006561000000000002}, {0.05904900000000002, 0.005904900000000002}}, trace(opt, s, 6, null));
    }

    @Test
    void oneCycleThreePhaseLinearCyclesSgdMomentum() {
        SGD opt = SGD.with().lr(0.1).momentum(0.9).build(List.of(param()));
        OneCycleLR s = new OneCycleLR.Builder(1.0, 10).threePhase(true).annealStrategy("linear").build(opt);
        assertTrace(new double[][] {{0.04, 0.95}, {0.52, 0.8999999999999999}, {1.0, 0.85}, {0.52, 0.8999999999999999},
                {0.040000000000000036, 0.95}, {0.032000799999999996, 0.95}, {0.024001599999999998, 0.95}, {0.0160024, 0.95},
                {0.008003199999999995, 0.95}, {3.9999999999970615e-06, 0.95}}, trace(opt, s, 10, "momentum"));
        var e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("tried to step 12 times; the specified number of total steps is 10"), e.getMessage());
    }

    @Test
    void oneCycleCyclesAdamsBeta1() {
        Adam opt = Adam.with().lr(1e-3).build(List.of(param()));
        OneCycleLR s = new OneCycleLR.Builder(0.01, 8).pctStart(0.25).build(opt);
        assertTrace(new double[][] {{0.0003999999999999993, 0.95}, {0.01, 0.85}, {0.00933012969841412, 0.856698729810778},
                {0.00750001, 0.875}, {0.00500002, 0.8999999999999999}, {0.0025000300000000016, 0.9249999999999999},
                {0.0006699103015858822, 0.9433012701892219}, {4e-08, 0.95}}, trace(opt, s, 8, "beta1"));
    }

    @Test
    void plateauInMaxModeWithAbsoluteThresholdAndCooldown() {
        SGD opt = SGD.with().lr(1.0).build(List.of(param()));
        ReduceLROnPlateau s = new ReduceLROnPlateau.Builder().mode("max").factor(0.5).patience(1).threshold(0.1, "abs").cooldown(2)
                .build(opt);
        double[] metrics = {0.5, 0.55, 0.56, 0.57, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75};
        double[] expected = {1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25};
        for (int e = 0; e < metrics.length; e++) {
            assertEquals(expected[e], opt.paramGroups().getFirst().lr(), 0, "epoch " + e);
            s.step(metrics[e]);
        }
    }

    @Test
    void stateDictResumesEverySchedule() {
        assertResumes(o -> new StepLR(o, 2, 0.5));
        assertResumes(o -> new CosineAnnealingLR(o, 5, 0.001));
        assertResumes(o -> new OneCycleLR.Builder(0.5, 12).build(o));
        assertResumes(o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1, 3), new CosineAnnealingLR(o, 6, 0)), new int[] {3}));
        assertResumes(o -> new ChainedScheduler(List.of(new ConstantLR(o, 0.5, 3), new ExponentialLR(o, 0.9))));
    }

    /** Ten steps straight versus four, then the optimizer's and the schedule's state into fresh ones, then six more. */
    private static void assertResumes(Function<Optimizer, Scheduler> make) {
        SGD straight = twoGroups();
        double[][] full = trace(straight, make.apply(straight), 10, "momentum");
        SGD first = twoGroups();
        Scheduler s1 = make.apply(first);
        trace(first, s1, 4, null);
        SGD second = twoGroups();
        Scheduler s2 = make.apply(second);
        second.loadStateDict(first.stateDict());
        Map<String, String> state = s1.stateDict();
        s2.loadStateDict(state);
        assertArrayEquals(s1.lastLr(), s2.lastLr());
        double[][] rest = trace(second, s2, 6, "momentum");
        for (int e = 0; e < 6; e++) assertArrayEquals(full[4 + e], rest[e], 0, state.get("scheduler") + " epoch " + (4 + e));
    }

    @Test
    void badArgumentsNameTheSchedule() {
        SGD opt = SGD.with().lr(0.1).build(List.of(param()));
        assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.1));
        var linear = assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0, 1, 5));
        assertTrue(linear.getMessage().startsWith("LinearLR: "), linear.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau.Builder().factor(1.0).build(opt));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR.Builder(0.1, 10).annealStrategy("exp").build(opt));
        var seq = assertThrows(IllegalArgumentException.class, () -> new SequentialLR(opt, List.of(new StepLR(opt, 2, 0.1)), new int[] {3}));
        assertTrue(seq.getMessage().contains("1 schedulers and 1 milestones"), seq.getMessage());
        SGD noMomentumOption = SGD.with().lr(0.1).build(List.of(param()));
        assertThrows(IllegalArgumentException.class, () -> new StepLR(noMomentumOption, 2, 0.1).loadStateDict(Map.of("scheduler", "CosineAnnealingLR")));
    }
}

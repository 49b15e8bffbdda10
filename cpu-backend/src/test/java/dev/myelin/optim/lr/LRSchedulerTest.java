package dev.myelin.optim.lr;

import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.myelin.optim.lr.Schedules.assertRows;
import static dev.myelin.optim.lr.Schedules.run;
import static dev.myelin.optim.lr.Schedules.sgd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The epoch schedulers against sequences PyTorch 1.13 produced. Each row is one epoch: the lr of
 * every group, read before {@code step()}. The generator (Debian's /usr/bin/python3, torch 1.13):
 * <pre>
 * def opt(*lrs): return SGD([{'params': [torch.zeros(1, requires_grad=True)], 'lr': lr} for lr in lrs])
 * def run(o, s, n):
 *     out = []
 *     for e in range(n): out.append([g['lr'] for g in o.param_groups]); s.step()
 *     return out
 * </pre>
 */
class LRSchedulerTest {
    // o = opt(0.1, 0.02); run(o, StepLR(o, 3, gamma=0.5), 8)
    private static final double[][] STEP = {
            {0.1, 0.02},
            {0.1, 0.02},
            {0.1, 0.02},
            {0.05, 0.01},
            {0.05, 0.01},
            {0.05, 0.01},
            {0.025, 0.005},
            {0.025, 0.005},
    };

    // o = opt(1.0); run(o, MultiStepLR(o, [4, 2, 4], gamma=0.1), 6)
    private static final double[][] MULTISTEP = {
            {1.0},
            {1.0},
            {0.1},
            {0.1},
            {0.0010000000000000002},
            {0.0010000000000000002},
    };

    // o = opt(0.5); run(o, ExponentialLR(o, 0.8), 5)
    private static final double[][] EXPONENTIAL = {
            {0.5},
            {0.4},
            {0.32000000000000006},
            {0.25600000000000006},
            {0.20480000000000007},
    };

    // o = opt(0.05, 0.5); run(o, ConstantLR(o), 8)
    private static final double[][] CONSTANT = {
            {0.016666666666666666, 0.16666666666666666},
            {0.016666666666666666, 0.16666666666666666},
            {0.016666666666666666, 0.16666666666666666},
            {0.016666666666666666, 0.16666666666666666},
            {0.016666666666666666, 0.16666666666666666},
            {0.05, 0.5},
            {0.05, 0.5},
            {0.05, 0.5},
    };

    // o = opt(0.2); run(o, LinearLR(o, start_factor=1.0, end_factor=0.25, total_iters=4), 7)
    private static final double[][] LINEAR_DECAY = {
            {0.2},
            {0.1625},
            {0.125},
            {0.0875},
            {0.049999999999999996},
            {0.049999999999999996},
            {0.049999999999999996},
    };

    // o = opt(0.3); run(o, PolynomialLR(o), 7)
    private static final double[][] POLYNOMIAL = {
            {0.3},
            {0.24},
            {0.17999999999999997},
            {0.12},
            {0.059999999999999984},
            {0.0},
            {0.0},
    };

    // o = opt(0.1, 1.0); run(o, CosineAnnealingLR(o, T_max=3, eta_min=0.01), 14)
    private static final double[][] COSINE = {
            {0.1, 1.0},
            {0.0775, 0.7525},
            {0.032500000000000015, 0.25750000000000006},
            {0.01, 0.01},
            {0.0325, 0.25749999999999995},
            {0.07750000000000005, 0.7525000000000005},
            {0.10000000000000007, 1.0000000000000007},
            {0.07750000000000007, 0.7525000000000007},
            {0.03250000000000006, 0.25750000000000056},
            {0.01, 0.01},
            {0.0325, 0.25749999999999995},
            {0.07749999999999992, 0.7524999999999991},
            {0.09999999999999995, 0.9999999999999993},
            {0.07749999999999996, 0.7524999999999995},
    };

    // o = opt(1.0); s1 = ConstantLR(o, factor=0.1, total_iters=2); s2 = ExponentialLR(o, gamma=0.9)
    // run(o, ChainedScheduler([s1, s2]), 6)
    private static final double[][] CHAINED_CONSTANT_EXP = {
            {0.1},
            {0.09000000000000001},
            {0.8100000000000002},
            {0.7290000000000002},
            {0.6561000000000002},
            {0.5904900000000002},
    };

    // o = opt(0.1, 0.05); s1 = StepLR(o, 2, gamma=0.5); s2 = CosineAnnealingLR(o, T_max=5, eta_min=0.01)
    // run(o, ChainedScheduler([s1, s2]), 10)   (the recursive forms compose; PyTorch even goes below eta_min)
    private static final double[][] CHAINED_STEP_COSINE = {
            {0.1, 0.05},
            {0.09140576474687263, 0.04618033988749895},
            {0.03583484838468642, 0.01947213595499958},
            {0.023637287570313154, 0.015000000000000001},
            {0.010502660779531527, 0.009309016994374947},
            {0.01, 0.01},
            {0.013594235253127366, 0.00881966011250105},
            {0.023004065309377895, 0.005729490168751569},
            {0.01284549150281253, -0.0035172209268743253},
            {0.0139323725421879, -0.008680339887498964},
    };

    // o = opt(1.0); s1 = ConstantLR(o, factor=0.1, total_iters=2); s2 = ExponentialLR(o, gamma=0.9)
    // run(o, SequentialLR(o, [s1, s2], milestones=[2]), 6)
    private static final double[][] SEQUENTIAL_CONSTANT_EXP = {
            {0.1},
            {0.1},
            {1.0},
            {0.9},
            {0.81},
            {0.7290000000000001},
    };

    // o = opt(0.1, 0.2); s1 = LinearLR(o, start_factor=0.5, total_iters=2); s2 = StepLR(o, 2, gamma=0.5)
    // s3 = CosineAnnealingLR(o, T_max=4); run(o, SequentialLR(o, [s1, s2, s3], milestones=[3, 6]), 11)
    private static final double[][] SEQUENTIAL_THREE = {
            {0.05, 0.1},
            {0.07500000000000001, 0.15000000000000002},
            {0.1, 0.2},
            {0.1, 0.2},
            {0.1, 0.2},
            {0.05, 0.1},
            {0.1, 0.2},
            {0.08535533905932738, 0.17071067811865476},
            {0.05, 0.1},
            {0.014644660940672627, 0.029289321881345254},
            {0.0, 0.0},
    };

    private static double[][] steps(SGD opt, LRScheduler s, int epochs) {
        return run(opt, s::step, epochs);
    }

    @Test
    void stepLrDecaysEveryGroupEveryStepSizeEpochs() {
        SGD opt = sgd(0.1, 0.02);
        StepLR s = new StepLR(opt, 3, 0.5);
        assertRows(STEP, steps(opt, s, 8));
        assertEquals(8, s.lastEpoch());
        assertArrayEquals(new double[] {0.1, 0.02}, s.baseLrs());
        assertEquals(0.1, opt.paramGroups().get(0).get("initial_lr"));
    }

    @Test
    void multiStepLrCountsRepeatedMilestones() {
        SGD opt = sgd(1.0);
        assertRows(MULTISTEP, steps(opt, new MultiStepLR(opt, new int[] {4, 2, 4}, 0.1), 6));
    }

    @Test
    void exponentialLr() {
        SGD opt = sgd(0.5);
        assertRows(EXPONENTIAL, steps(opt, new ExponentialLR(opt, 0.8), 5));
    }

    @Test
    void constantLrWithPyTorchDefaults() {
        SGD opt = sgd(0.05, 0.5);
        assertRows(CONSTANT, steps(opt, new ConstantLR(opt), 8));
    }

    @Test
    void linearLrCanDecayToo() {
        SGD opt = sgd(0.2);
        assertRows(LINEAR_DECAY, steps(opt, new LinearLR(opt, 1.0, 0.25, 4), 7));
    }

    @Test
    void polynomialLrWithPyTorchDefaults() {
        SGD opt = sgd(0.3);
        assertRows(POLYNOMIAL, steps(opt, new PolynomialLR(opt), 7));
    }

    @Test
    void cosineAnnealingGoesThroughTheTroughAndBackUp() {
        SGD opt = sgd(0.1, 1.0);
        assertRows(COSINE, steps(opt, new CosineAnnealingLR(opt, 3, 0.01), 14));
    }

    @Test
    void chainedConstantAndExponentialMultiply() {
        SGD opt = sgd(1.0);
        var chained = new ChainedScheduler(List.of(new ConstantLR(opt, 0.1, 2), new ExponentialLR(opt, 0.9)));
        assertRows(CHAINED_CONSTANT_EXP, steps(opt, chained, 6));
        assertArrayEquals(new double[] {opt.paramGroups().getFirst().lr()}, chained.getLastLr());
    }

    @Test
    void chainedStepAndCosineComposeRecursively() {
        SGD opt = sgd(0.1, 0.05);
        var chained = new ChainedScheduler(List.of(new StepLR(opt, 2, 0.5), new CosineAnnealingLR(opt, 5, 0.01)));
        assertRows(CHAINED_STEP_COSINE, steps(opt, chained, 10));
    }

    @Test
    void sequentialRestartsTheNextSchedulerFromTheBaseLr() {
        SGD opt = sgd(1.0);
        var seq = new SequentialLR(opt, List.of(new ConstantLR(opt, 0.1, 2), new ExponentialLR(opt, 0.9)),
                new int[] {2});
        assertArrayEquals(new double[] {0.1}, seq.getLastLr());
        assertRows(SEQUENTIAL_CONSTANT_EXP, steps(opt, seq, 6));
        assertEquals(6, seq.lastEpoch());
    }

    @Test
    void sequentialOfThreeOverTwoGroups() {
        SGD opt = sgd(0.1, 0.2);
        var seq = new SequentialLR(opt,
                List.of(new LinearLR(opt, 0.5, 1.0, 2), new StepLR(opt, 2, 0.5), new CosineAnnealingLR(opt, 4)),
                new int[] {3, 6});
        assertRows(SEQUENTIAL_THREE, steps(opt, seq, 11));
    }
}

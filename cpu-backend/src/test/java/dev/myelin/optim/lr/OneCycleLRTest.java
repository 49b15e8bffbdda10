package dev.myelin.optim.lr;

import dev.myelin.optim.Adam;
import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.myelin.optim.lr.Schedules.assertRows;
import static dev.myelin.optim.lr.Schedules.param;
import static dev.myelin.optim.lr.Schedules.run;
import static dev.myelin.optim.lr.Schedules.sgd;
import static dev.myelin.optim.lr.Schedules.sgdMomentum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OneCycleLR against PyTorch 1.13. Each row: every group's lr, then every group's momentum
 * (SGD's "momentum", Adam's beta1), read before {@code step()}, over the whole cycle:
 * <pre>
 * def opt(*lrs, cls=SGD, **kw):
 *     return cls([{'params': [torch.zeros(1, requires_grad=True)], 'lr': lr} for lr in lrs], **kw)
 * def run(o, s, n, key):
 *     out = []
 *     for e in range(n):
 *         out.append([g['lr'] for g in o.param_groups]
 *                    + [g['betas'][0] if key == 'beta1' else g[key] for g in o.param_groups])
 *         s.step()
 *     return out
 * </pre>
 */
class OneCycleLRTest {
    // o = opt(0.1, momentum=0.9)
    // run(o, OneCycleLR(o, max_lr=1.0, total_steps=10, anneal_strategy='linear', three_phase=True), 10, 'momentum')
    private static final double[][] LINEAR_THREE_PHASE = {
            {0.04, 0.95},
            {0.52, 0.8999999999999999},
            {1.0, 0.85},
            {0.52, 0.8999999999999999},
            {0.040000000000000036, 0.95},
            {0.032000799999999996, 0.95},
            {0.024001599999999998, 0.95},
            {0.0160024, 0.95},
            {0.008003199999999995, 0.95},
            {3.9999999999970615e-06, 0.95},
    };

    // o = opt(0.1, 0.1, momentum=0.9)
    // run(o, OneCycleLR(o, max_lr=[0.5, 0.05], epochs=3, steps_per_epoch=3, pct_start=0.25, base_momentum=0.8,
    //                   max_momentum=[0.9, 0.99], div_factor=10., final_div_factor=100.), 9, 'momentum')
    private static final double[][] COS_SGD_TWO_GROUPS = {
            {0.04999999999999999, 0.0049999999999999975, 0.9, 0.99},
            {0.45702882373436315, 0.04570288237343632, 0.8095491502812526, 0.81814338553438},
            {0.4849382320412806, 0.04849382320412807, 0.8030153689607046, 0.8057292010253387},
            {0.42163884905771626, 0.04216388490577163, 0.8156879181065634, 0.8298070444024703},
            {0.3218791073695948, 0.03218791073695948, 0.8356598383644456, 0.8677536928924464},
            {0.20688136762768417, 0.020688136762768417, 0.8586824088833466, 0.9114965768783584},
            {0.10110964172222921, 0.01011096417222292, 0.8798579295851393, 0.9517300662117647},
            {0.027065248079227812, 0.0027065248079227813, 0.8946816320161707, 0.9798951008307242},
            {0.0005, 5e-05, 0.9, 0.99},
    };

    // o = opt(0.001, cls=Adam); run(o, OneCycleLR(o, max_lr=0.01, total_steps=8), 8, 'beta1')
    private static final double[][] COS_ADAM = {
            {0.0003999999999999993, 0.95},
            {0.00819275104892192, 0.8688255099070633},
            {0.009719417773875232, 0.8528058334845816},
            {0.00811745653949763, 0.8688255099070633},
            {0.005559840141227016, 0.8944017761948346},
            {0.0028306099820869924, 0.9216941869558779},
            {0.0007664159383425639, 0.9423362099614142},
            {4e-08, 0.95},
    };

    @Test
    void linearThreePhaseCyclesSgdMomentum() {
        SGD opt = sgdMomentum(0.9, 0.1);
        OneCycleLR s = OneCycleLR.with(1.0).totalSteps(10).annealStrategy(OneCycleLR.AnnealStrategy.LINEAR)
                .threePhase(true).build(opt);
        assertRows(LINEAR_THREE_PHASE, run(opt, s::step, 10, "momentum"));
        assertEquals(0.04, opt.paramGroups().getFirst().get("initial_lr"), 1e-15);
        assertEquals(1.0, opt.paramGroups().getFirst().get("max_lr"));
    }

    @Test
    void cosineWithPerGroupMaxLrAndMomentumFromEpochsAndStepsPerEpoch() {
        SGD opt = sgdMomentum(0.9, 0.1, 0.1);
        OneCycleLR s = OneCycleLR.with(0.5, 0.05).epochs(3, 3).pctStart(0.25).baseMomentum(0.8).maxMomentum(0.9, 0.99)
                .divFactor(10).finalDivFactor(100).build(opt);
        assertRows(COS_SGD_TWO_GROUPS, run(opt, s::step, 9, "momentum"));
    }

    @Test
    void cosineCyclesAdamBeta1() {
        Adam opt = Adam.with().lr(0.001).build(List.of(param()));
        OneCycleLR s = OneCycleLR.with(0.01).totalSteps(8).build(opt);
        assertRows(COS_ADAM, run(opt, s::step, 8, "beta1"));
        assertEquals(0.999, opt.paramGroups().getFirst().get("beta2"));
    }

    @Test
    void withoutCycleMomentumTheMomentumIsLeftAlone() {
        SGD opt = sgdMomentum(0.7, 0.1);
        OneCycleLR s = OneCycleLR.with(1.0).totalSteps(10).cycleMomentum(false).build(opt);
        s.step();
        assertEquals(0.7, opt.paramGroups().getFirst().get("momentum"));
        assertTrue(!opt.paramGroups().getFirst().has("max_momentum"));
    }

    @Test
    void steppingPastTotalStepsFails() {
        SGD opt = sgd(0.1);
        OneCycleLR s = OneCycleLR.with(1.0).totalSteps(3).cycleMomentum(false).build(opt);
        for (int i = 0; i < 3; i++) s.step();
        var e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage()
                .contains("OneCycleLR: tried to step 5 times. The specified number of total steps is 3"),
                e.getMessage());
    }
}

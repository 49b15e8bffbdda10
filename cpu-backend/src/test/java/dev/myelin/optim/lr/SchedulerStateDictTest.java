package dev.myelin.optim.lr;

import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.myelin.optim.lr.Schedules.read;
import static dev.myelin.optim.lr.Schedules.sgdMomentum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints: a run stopped after some epochs and resumed from the optimizer's and the
 * scheduler's state dicts, into a freshly built optimizer and scheduler, continues with exactly
 * the lrs (and momenta) of the run that never stopped.
 */
class SchedulerStateDictTest {
    private static final int BEFORE = 4, AFTER = 9;

    private static void resumesExactly(Function<SGD, LRScheduler> build) {
        SGD straight = sgdMomentum(0.9, 0.1, 0.2);
        LRScheduler s = build.apply(straight);
        for (int e = 0; e < BEFORE; e++) s.step();
        var optState = straight.stateDict();
        Map<String, String> schedState = new HashMap<>(s.stateDict());

        SGD resumed = sgdMomentum(0.9, 0.1, 0.2);
        LRScheduler r = build.apply(resumed);
        resumed.loadStateDict(optState);
        r.loadStateDict(schedState);
        assertEquals(s.lastEpoch(), r.lastEpoch(), s.name());
        assertArrayEquals(s.getLastLr(), r.getLastLr(), s.name());
        for (int e = 0; e < AFTER; e++) {
            assertArrayEquals(read(straight, "momentum"), read(resumed, "momentum"),
                    s.name() + " epoch " + (BEFORE + e));
            s.step();
            r.step();
        }
    }

    @Test
    void everyEpochSchedulerResumes() {
        resumesExactly(o -> new StepLR(o, 3, 0.5));
        resumesExactly(o -> new MultiStepLR(o, new int[] {2, 6, 9}, 0.3));
        resumesExactly(o -> new ExponentialLR(o, 0.9));
        resumesExactly(o -> new ConstantLR(o, 0.25, 6));
        resumesExactly(o -> new LinearLR(o, 0.1, 1.0, 7));
        resumesExactly(o -> new PolynomialLR(o, 10, 2));
        resumesExactly(o -> new CosineAnnealingLR(o, 5, 0.01));
    }

    @Test
    void oneCycleResumesWithItsMomentum() {
        resumesExactly(o -> OneCycleLR.with(1.0, 2.0).totalSteps(BEFORE + AFTER).threePhase(true).build(o));
    }

    @Test
    void compositesResumeWithTheirSchedulers() {
        resumesExactly(o -> new ChainedScheduler(List.of(new StepLR(o, 2, 0.5), new CosineAnnealingLR(o, 6, 0.01))));
        resumesExactly(o -> new SequentialLR(o, List.of(new LinearLR(o, 0.2, 1.0, 3), new CosineAnnealingLR(o, 8)),
                new int[] {3}));
        // stopped before the milestone, resumed across it
        resumesExactly(o -> new SequentialLR(o, List.of(new ConstantLR(o, 0.5, 6), new ExponentialLR(o, 0.8)),
                new int[] {6}));
    }

    @Test
    void plateauResumesWithItsCounters() {
        double[] metrics = {1, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.9, 0.9, 0.9, 0.9, 0.9, 0.7, 0.9};
        SGD straight = sgdMomentum(0, 0.1, 0.2);
        SGD resumed = sgdMomentum(0, 0.1, 0.2);
        ReduceLROnPlateau s = ReduceLROnPlateau.with().factor(0.5).patience(1).cooldown(1).build(straight);
        ReduceLROnPlateau r = ReduceLROnPlateau.with().factor(0.5).patience(1).cooldown(1).build(resumed);
        for (int e = 0; e < 7; e++) s.step(metrics[e]);
        resumed.loadStateDict(straight.stateDict());
        r.loadStateDict(s.stateDict());
        for (int e = 7; e < metrics.length; e++) {
            s.step(metrics[e]);
            r.step(metrics[e]);
            assertArrayEquals(s.getLastLr(), r.getLastLr(), "epoch " + e);
            assertEquals(s.numBadEpochs(), r.numBadEpochs(), "epoch " + e);
        }
        assertEquals(Double.toString(0.7), r.stateDict().get("best"));
    }

    @Test
    void aStateFromAnotherSchedulerOrWithAKeyMissingIsRejected() {
        SGD opt = sgdMomentum(0, 0.1);
        StepLR step = new StepLR(opt, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> step.loadStateDict(new ExponentialLR(opt, 0.9).stateDict()));
        assertTrue(e.getMessage().contains("StepLR.loadStateDict: state was saved by ExponentialLR"), e.getMessage());
        Map<String, String> state = new HashMap<>(step.stateDict());
        state.remove("last_epoch");
        e = assertThrows(IllegalArgumentException.class, () -> step.loadStateDict(state));
        assertTrue(e.getMessage().contains("StepLR.loadStateDict: saved state has no \"last_epoch\""), e.getMessage());
        Map<String, String> twoGroups = new HashMap<>(new StepLR(sgdMomentum(0, 0.1, 0.2), 2).stateDict());
        e = assertThrows(IllegalArgumentException.class, () -> step.loadStateDict(twoGroups));
        assertTrue(e.getMessage().contains("more than 1 parameter groups"), e.getMessage());
    }
}

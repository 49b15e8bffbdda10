package dev.myelin.optim.lr;

import dev.myelin.optim.SGD;
import org.junit.jupiter.api.Test;

import static dev.myelin.optim.lr.Schedules.assertRows;
import static dev.myelin.optim.lr.Schedules.run;
import static dev.myelin.optim.lr.Schedules.sgd;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ReduceLROnPlateau against PyTorch 1.13: each row is every group's lr read before
 * {@code step(metric)} (same generator as {@link LRSchedulerTest}, stepping with the metrics).
 */
class ReduceLROnPlateauTest {
    private static final double[] MAX_METRICS = {0.5, 0.6, 0.6, 0.6, 0.65, 0.6, 0.6, 0.6, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7,
            0.7, 0.7};

    // o = opt(0.1, 0.01); ReduceLROnPlateau(o, mode='max', factor=0.5, patience=1, threshold=0.02,
    //     threshold_mode='abs', cooldown=2, min_lr=[0.02, 0.001]) stepped with MAX_METRICS
    private static final double[][] MAX_ABS_COOLDOWN = {
            {0.1, 0.01},
            {0.1, 0.01},
            {0.1, 0.01},
            {0.1, 0.01},
            {0.05, 0.005},
            {0.05, 0.005},
            {0.05, 0.005},
            {0.05, 0.005},
            {0.025, 0.0025},
            {0.025, 0.0025},
            {0.025, 0.0025},
            {0.025, 0.0025},
            {0.02, 0.00125},
            {0.02, 0.00125},
            {0.02, 0.00125},
            {0.02, 0.00125},
    };

    private static final double[] MIN_METRICS = {1.0, 0.99995, 0.9999, 0.9998, 0.5, 0.5, 0.5, 0.5, 0.5};

    // o = opt(1.0); ReduceLROnPlateau(o, factor=0.5, patience=0, threshold=1e-4, eps=0.2) stepped with MIN_METRICS
    // (0.99995 is within the relative threshold of 1.0: not an improvement; reductions under eps are skipped)
    private static final double[][] MIN_REL_EPS = {
            {1.0},
            {1.0},
            {0.5},
            {0.25},
            {0.25},
            {0.25},
            {0.25},
            {0.25},
            {0.25},
    };

    private static double[][] feed(SGD opt, ReduceLROnPlateau s, double[] metrics) {
        int[] epoch = {0};
        return run(opt, () -> s.step(metrics[epoch[0]++]), metrics.length);
    }

    @Test
    void maxModeWithAbsoluteThresholdCooldownAndPerGroupMinLr() {
        SGD opt = sgd(0.1, 0.01);
        ReduceLROnPlateau s = ReduceLROnPlateau.with().mode(ReduceLROnPlateau.Mode.MAX).factor(0.5).patience(1)
                .threshold(0.02)
                .thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS).cooldown(2).minLr(0.02, 0.001).build(opt);
        assertRows(MAX_ABS_COOLDOWN, feed(opt, s, MAX_METRICS));
        assertEquals(0.7, s.best());
        assertEquals(MAX_METRICS.length, s.lastEpoch());
        // after the last step (PyTorch: _last_lr [0.02, 0.001], cooldown_counter 2)
        assertArrayEquals(new double[] {0.02, 0.001}, s.getLastLr());
        assertTrue(s.inCooldown());
    }

    @Test
    void minModeRelativeThresholdAndEps() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau s = ReduceLROnPlateau.with().factor(0.5).patience(0).threshold(1e-4).eps(0.2).build(opt);
        assertRows(MIN_REL_EPS, feed(opt, s, MIN_METRICS));
    }

    @Test
    void cooldownIgnoresBadEpochs() {
        SGD opt = sgd(1.0);
        ReduceLROnPlateau s = ReduceLROnPlateau.with().factor(0.5).patience(0).cooldown(2).build(opt);
        s.step(1.0);
        s.step(2.0);
        assertEquals(0.5, opt.paramGroups().getFirst().lr());
        assertTrue(s.inCooldown());
        s.step(2.0);
        s.step(2.0);
        assertFalse(s.inCooldown());
        assertEquals(0, s.numBadEpochs());
        assertEquals(0.5, opt.paramGroups().getFirst().lr());
        s.step(2.0);
        assertEquals(0.25, opt.paramGroups().getFirst().lr());
    }
}

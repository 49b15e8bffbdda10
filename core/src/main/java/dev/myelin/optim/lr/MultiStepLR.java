package dev.myelin.optim.lr;

import dev.myelin.ops.Checks;
import dev.myelin.optim.Optimizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Multiplies the lr by {@code gamma} at each milestone epoch (torch.optim.lr_scheduler.MultiStepLR).
 * Milestones need not be sorted; one listed k times multiplies by {@code gamma^k}, as PyTorch's
 * Counter of milestones does.
 */
public final class MultiStepLR extends LRScheduler {
    private final Map<Integer, Integer> counts = new HashMap<>();
    private final int[] sorted;
    private final double gamma;

    /** {@code gamma} defaults to 0.1. */
    public MultiStepLR(Optimizer optimizer, int[] milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        if (milestones == null) throw new IllegalArgumentException("MultiStepLR: milestones is null");
        Checks.finiteNonNegative("MultiStepLR", "gamma", gamma);
        super("MultiStepLR", optimizer);
        for (int m : milestones) counts.merge(m, 1, Integer::sum);
        this.sorted = milestones.clone();
        Arrays.sort(sorted);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = currentLrs();
        Integer k = counts.get(lastEpoch);
        if (k == null) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, k);
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0;
        while (passed < sorted.length && sorted[passed] <= lastEpoch) passed++;
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, passed);
        return lrs;
    }
}

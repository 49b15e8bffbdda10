package dev.myelin.optim.lr;

import dev.myelin.Tensor;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.ParamGroup;
import dev.myelin.optim.SGD;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Helpers for the scheduler tests: optimizers with one group per lr, and per-epoch recordings. */
final class Schedules {
    private Schedules() {}

    static Tensor param() {
        return Tensor.of(new double[] {1}, 1);
    }

    /** SGD with one single-parameter group per lr. */
    static SGD sgd(double... lrs) {
        return sgdMomentum(0, lrs);
    }

    static SGD sgdMomentum(double momentum, double... lrs) {
        List<ParamGroup> groups = new ArrayList<>();
        for (double lr : lrs) groups.add(ParamGroup.of(List.of(param())).set("lr", lr));
        return SGD.with().momentum(momentum).buildGroups(groups);
    }

    /** Each group's lr, then each group's option {@code extra} (if not null). */
    static double[] read(Optimizer opt, String extra) {
        List<ParamGroup> groups = opt.paramGroups();
        double[] row = new double[groups.size() * (extra == null ? 1 : 2)];
        for (int i = 0; i < groups.size(); i++) {
            row[i] = groups.get(i).lr();
            if (extra != null) row[groups.size() + i] = groups.get(i).get(extra);
        }
        return row;
    }

    /** For each epoch: read the groups (before stepping), then step. */
    static double[][] run(Optimizer opt, Runnable step, int epochs, String extra) {
        double[][] rows = new double[epochs][];
        for (int e = 0; e < epochs; e++) {
            rows[e] = read(opt, extra);
            step.run();
        }
        return rows;
    }

    static double[][] run(Optimizer opt, Runnable step, int epochs) {
        return run(opt, step, epochs, null);
    }

    /** Equal within 1e-12 relative (libm's cos may differ from Java's by an ulp). */
    static void assertRows(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length, "epochs");
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e].length, actual[e].length, "values at epoch " + e);
            for (int i = 0; i < expected[e].length; i++) {
                double x = expected[e][i], a = actual[e][i];
                if (Math.abs(a - x) > 1e-15 + 1e-12 * Math.abs(x)) {
                    fail("epoch " + e + " value " + i + ": expected " + x + " but was " + a);
                }
            }
        }
    }
}

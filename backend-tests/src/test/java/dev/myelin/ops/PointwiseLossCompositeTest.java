package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradCheck;
import dev.myelin.backend.Losses.Pointwise;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The composite elementwise losses (ops.composite.PointwiseLosses) against the fused kernels on
 * one backend: values and gradients of input and target, float32 and float64, every kind with its
 * options (beta, delta, weight, pos_weight) under every reduction; and float64 finite differences
 * of the composite.
 */
class PointwiseLossCompositeTest extends BackendCase {
    private static final int[] SHAPE = {5, 7};

    /** One loss call: its kind, parameter, whether the target gets a gradient, and its operands. */
    private record Case(String name, Pointwise kind, double param, boolean targetGrad, Tensor x, Tensor t, Tensor w,
                        Tensor pw) {}

    private List<Case> cases(DType dt, Random r) {
        List<Case> out = new ArrayList<>();
        Tensor w = uniform(r, dt, 0.5, 2, SHAPE);
        Tensor pwRow = uniform(r, dt, 0.3, 3, SHAPE[1]);
        Tensor pw = pwRow.expand(SHAPE);
        for (Tensor weight : new Tensor[] {null, w}) {
            String ws = weight == null ? "" : " weighted";
            Tensor x = uniform(r, dt, -2, 2, SHAPE), t = uniform(r, dt, -2, 2, SHAPE);
            out.add(new Case("mse" + ws, Pointwise.MSE, 0, true, x, t, weight, null));
            out.add(new Case("l1" + ws, Pointwise.L1, 0, true, x, t, weight, null));
            for (double beta : new double[] {0, 0.5, 1.5}) {
                out.add(new Case("smooth_l1 beta " + beta + ws, Pointwise.SMOOTH_L1, beta, true, x, t, weight, null));
            }
            for (double delta : new double[] {0.5, 1, 2}) {
                out.add(new Case("huber delta " + delta + ws, Pointwise.HUBER, delta, true, x, t, weight, null));
            }
            Tensor p = uniform(r, dt, 0.02, 0.98, SHAPE), prob = uniform(r, dt, 0, 1, SHAPE);
            out.add(new Case("bce" + ws, Pointwise.BCE, 0, false, p, prob, weight, null));
            double[] logits = uniform(r, dt, -30, 30, SHAPE).toDoubleArray();
            logits[0] = 0;  // the softplus's kink in the stable form
            logits[1] = 80;
            logits[2] = -80;
            Tensor z = tensor(dt, logits, SHAPE);
            out.add(new Case("bce_with_logits" + ws, Pointwise.BCE_WITH_LOGITS, 0, false, z, prob, weight, null));
            out.add(new Case("bce_with_logits pos_weight" + ws, Pointwise.BCE_WITH_LOGITS, 0, false, z, prob, weight,
                    pw));
            double[] tv = uniform(r, dt, 0, 1, SHAPE).toDoubleArray();
            for (int i = 0; i < tv.length; i += 4) tv[i] = 0;  // t = 0 contributes 0
            Tensor logq = uniform(r, dt, -4, -0.1, SHAPE);
            out.add(new Case("kl_div" + ws, Pointwise.KL_DIV, 0, false, logq, tensor(dt, tv, SHAPE), weight, null));
            out.add(new Case("kl_div log_target" + ws, Pointwise.KL_DIV_LOG_TARGET, 0, false, logq,
                    uniform(r, dt, -4, 0, SHAPE), weight, null));
        }
        return out;
    }

    private static Tensor run(Case c, Reduction red, boolean fused, Tensor x, Tensor t) {
        return LossPointwise.apply(c.name, c.kind, c.param, x, t, c.w, c.pw, red, c.targetGrad, () -> {}, fused);
    }

    @OnEachBackend
    void compositeMatchesTheFusedKernelsInValuesAndGradients(BackendUnderTest on) {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Random r = new Random(dt.ordinal());
            for (Case c : cases(dt, r)) {
                for (Reduction red : Reduction.values()) {
                    boolean kl = c.kind == Pointwise.KL_DIV || c.kind == Pointwise.KL_DIV_LOG_TARGET;
                    if (red == Reduction.BATCHMEAN && !kl) {
                        continue;
                    }
                    String what = c.name + " " + red + " " + dt;
                    Tensor upstream = red == Reduction.NONE ? uniform(r, dt, -1, 1, SHAPE) : null;
                    Tensor[] fused = valueAndGrads(c, red, true, upstream);
                    Tensor[] comp = valueAndGrads(c, red, false, upstream);
                    assertClose(what + " value", comp[0], fused[0], atol(dt), rtol(dt));
                    assertClose(what + " d input", comp[1], fused[1], atol(dt), rtol(dt));
                    if (c.targetGrad) assertClose(what + " d target", comp[2], fused[2], atol(dt), rtol(dt));
                }
            }
        }
    }

    /** {value, d input, d target} with fresh leaves. */
    private Tensor[] valueAndGrads(Case c, Reduction red, boolean fused, Tensor upstream) {
        Tensor x = c.x.detach().copy().requiresGrad(true);
        Tensor t = c.t.detach().copy().requiresGrad(c.targetGrad);
        Tensor v = run(c, red, fused, x, t);
        if (upstream == null) v.backward();
        else v.backward(upstream);
        return new Tensor[] {v.detach(), x.grad(), c.targetGrad ? t.grad() : null};
    }

    @OnEachBackend
    void compositeGradientsPassFiniteDifferences(BackendUnderTest on) {
        Random r = new Random(7);
        for (Case c : cases(DType.FLOAT64, r)) {
            for (Reduction red : new Reduction[] {Reduction.NONE, Reduction.SUM, Reduction.MEAN}) {
                Case k = c;
                Tensor x = c.x.detach().copy().requiresGrad(true);
                Tensor t = c.t.detach().copy().requiresGrad(c.targetGrad);
                if (nearKink(k, x, t)) continue;
                try {
                    GradCheck.check(in -> run(k, red, false, in[0], in[1]), x, t);
                } catch (GradCheck.Mismatch e) {
                    throw new AssertionError(c.name + " " + red + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** A difference within 1e-3 of 0 or of +-param, where the difference losses have a kink. */
    private static boolean nearKink(Case c, Tensor x, Tensor t) {
        if (!c.targetGrad) return false;
        double[] a = x.toDoubleArray(), b = t.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            double z = Math.abs(a[i] - b[i]);
            if (z < 1e-3 || Math.abs(z - c.param) < 1e-3) return true;
        }
        return false;
    }
}

package dev.myelin.ops;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Optim;
import dev.myelin.ops.composite.CompositeOptim;
import dev.myelin.testing.BackendUnderTest;
import dev.myelin.testing.OnEachBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The composite optimizer updates (ops.composite.CompositeOptim) against the backend's fused
 * kernels over several steps, every option combination, float32 and float64, contiguous and
 * transposed parameters: parameters and every state agree after each step, the gradient is not
 * written, and neither path counts a version (Optimizer.step does, once, on either).
 */
class OptimCompositeTest extends BackendCase {
    private static final int STEPS = 4;

    /** One configuration: how many states it keeps and the update of step (from 1). */
    private record Config(String name, int states, Update update) {}

    @FunctionalInterface
    private interface Update {
        void run(Optim o, Tensor p, Tensor g, Tensor[] s, int step);
    }

    private static List<Config> configs() {
        List<Config> out = new ArrayList<>();
        for (double momentum : new double[] {0, 0.9}) {
            for (double dampening : new double[] {0, 0.3}) {
                for (boolean nesterov : new boolean[] {false, true}) {
                    if (nesterov && (momentum == 0 || dampening != 0)) continue;
                    for (double wd : new double[] {0, 0.01}) {
                        out.add(new Config("sgd m " + momentum + " d " + dampening + " n " + nesterov + " wd " + wd,
                                1, (o, p, g, s, step) -> o.sgd(p, g, momentum == 0 ? null : s[0], 0.05, momentum,
                                dampening, nesterov, wd, step == 1)));
                    }
                }
            }
        }
        for (boolean centered : new boolean[] {false, true}) {
            for (double momentum : new double[] {0, 0.8}) {
                for (double wd : new double[] {0, 0.02}) {
                    out.add(new Config("rmsprop c " + centered + " m " + momentum + " wd " + wd, 3,
                            (o, p, g, s, step) -> o.rmsprop(p, g, s[0], centered ? s[1] : null,
                                    momentum > 0 ? s[2] : null, 0.01, 0.9, 1e-8, wd, momentum)));
                }
            }
        }
        for (double wd : new double[] {0, 0.1}) {
            for (double lrDecay : new double[] {0, 0.5}) {
                out.add(new Config("adagrad wd " + wd + " lr_decay " + lrDecay, 1, (o, p, g, s, step) ->
                        o.adagrad(p, g, s[0], 0.1 / (1 + (step - 1) * lrDecay), wd, 1e-10)));
            }
        }
        for (boolean decoupled : new boolean[] {false, true}) {
            for (boolean amsgrad : new boolean[] {false, true}) {
                for (double wd : new double[] {0, 0.05}) {
                    out.add(new Config((decoupled ? "adamw" : "adam") + " amsgrad " + amsgrad + " wd " + wd, 3,
                            (o, p, g, s, step) -> o.adam(p, g, s[0], s[1], amsgrad ? s[2] : null, 1e-2, 0.9, 0.999,
                                    1e-8, wd, decoupled, step)));
                }
            }
        }
        return out;
    }

    @OnEachBackend
    void compositeMatchesTheFusedKernelsStepByStep(BackendUnderTest on) {
        Optim fused = backend().optim(), composite = CompositeOptim.INSTANCE;
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean transposed : new boolean[] {false, true}) {
                for (Config c : configs()) {
                    Random r = new Random(c.name.hashCode());
                    int[] shape = {13, 9};
                    Tensor p0 = uniform(r, dt, -1, 1, shape);
                    Tensor pf = view(p0.copy(), transposed), pc = view(p0.copy(), transposed);
                    Tensor[] sf = new Tensor[c.states], sc = new Tensor[c.states];
                    for (int k = 0; k < c.states; k++) {
                        // Adagrad's sum and RMSprop's square average start at 0 or above.
                        Tensor init = k == 0 && !c.name.startsWith("sgd") ? uniform(r, dt, 0, 0.5, shape)
                                : Tensor.zerosLike(p0);
                        sf[k] = view(init.copy(), transposed);
                        sc[k] = view(init.copy(), transposed);
                    }
                    for (int step = 1; step <= STEPS; step++) {
                        Tensor g = view(uniform(r, dt, -1, 1, shape), transposed);
                        double[] gBefore = g.toDoubleArray();
                        int versionF = pf.version(), versionC = pc.version();
                        c.update.run(fused, pf, g, sf, step);
                        c.update.run(composite, pc, g, sc, step);
                        String what = c.name + " " + dt + (transposed ? " transposed" : "") + " step " + step;
                        assertClose(what + " param", pc, pf, atol(dt), rtol(dt));
                        for (int k = 0; k < c.states; k++) {
                            assertClose(what + " state " + k, sc[k], sf[k], atol(dt), rtol(dt));
                        }
                        assertClose(what + " grad unchanged", g,
                                tensor(dt, gBefore, gBefore.length).reshape(g.shape()), 0, 0);
                        assertEquals(versionF, pf.version(), what + ": the fused kernel counts no version");
                        assertEquals(versionC, pc.version(), what + ": the composite counts no version");
                    }
                }
            }
        }
    }

    /** t itself, or a transposed (non-contiguous) view holding the same values in the same order of t's shape. */
    private static Tensor view(Tensor t, boolean transposed) {
        if (!transposed) return t;
        return t.t().contiguous().t();
    }
}

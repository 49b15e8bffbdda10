package dev.myelin.optim;

import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Optimizer classes: parameter groups, zeroGrad, state dict round trips and argument checks. (Update rules: golden
 * cases.)
 */
class OptimizerTest {
    private static final double[][] GRADS_A = {{0.1, 0.2, -0.3}, {-0.4, 0.5, 0.6}, {0.7, -0.8, 0.9}};
    private static final double[][] GRADS_B = {{1.0, -1.0, 0.5, 0.25}, {-2.0, 0.5, 1.5, -0.75}, {0.3, 0.3, -0.3, 0.1}};

    private static Tensor paramA() {
        return Tensor.of(new double[] {1.0, -2.0, 3.0}, 3).requiresGrad(true);
    }

    private static Tensor paramB() {
        return Tensor.of(new double[] {0.5, -0.5, 2.0, 1.0}, 2, 2).requiresGrad(true);
    }

    private static void setGrads(Tensor a, Tensor b, int step) {
        a.setGrad(Tensor.of(GRADS_A[step % 3], 3));
        b.setGrad(Tensor.of(GRADS_B[step % 3], 2, 2));
    }

    /*
     * Reference: PyTorch 1.13, float64
     *   opt = SGD([{'params': [a]}, {'params': [b], 'lr': 0.01, 'weight_decay': 0.1}], lr=0.1, momentum=0.9,
     *       nesterov=True)
     *   three steps with the gradients above.
     */
    @Test
    void parameterGroupsUseTheirOwnOptions() {
        Tensor a = paramA(), b = paramB();
        try (SGD opt = SGD.with().lr(0.1).momentum(0.9).nesterov(true)
                .buildGroups(List.of(ParamGroup.of(List.of(a)),
                        ParamGroup.of(List.of(b)).set("lr", 0.01).set("weight_decay", 0.1)))) {
            for (int t = 0; t < 3; t++) {
                setGrads(a, b, t);
                opt.step();
            }
            assertEquals(0.1, opt.paramGroups().get(0).lr());
            assertEquals(0.0, opt.paramGroups().get(0).get("weight_decay"));
        }
        assertArrayEquals(new double[] {0.9410099999999999, -2.05228, 2.76957}, a.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.5101231619805, -0.4809273119805, 1.9318904079869998, 1.0017910539935},
                b.toDoubleArray(), 1e-12);
    }

    @Test
    void zeroGradClearsAndParamsWithoutGradAreSkipped() {
        Tensor a = paramA(), b = paramB();
        try (Adam opt = Adam.with().build(List.of(a, b))) {
            a.setGrad(Tensor.of(GRADS_A[0], 3));
            opt.step();
            assertArrayEquals(new double[] {0.5, -0.5, 2.0, 1.0}, b.toDoubleArray());
            assertNull(opt.state(b));
            assertEquals(1, opt.state(a).step());
            opt.zeroGrad();
            assertNull(a.grad());
        }
    }

    @Test
    void stateDictRoundTripContinuesTheSameTrajectory() {
        assertResumeMatches(p -> SGD.with().lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3).build(p));
        assertResumeMatches(p -> Adam.with().lr(0.01).amsgrad(true).build(p));
        assertResumeMatches(p -> AdamW.with().lr(0.01).build(p));
        assertResumeMatches(p -> RMSprop.with().momentum(0.5).centered(true).build(p));
    }

    /** Five steps straight versus three, a state dict handed to a fresh optimizer, then two more. */
    private static void assertResumeMatches(Function<List<Tensor>, Optimizer> factory) {
        Tensor a = paramA(), b = paramB();
        try (Optimizer opt = factory.apply(List.of(a, b))) {
            for (int t = 0; t < 5; t++) {
                setGrads(a, b, t);
                opt.step();
            }
        }
        Tensor a2 = paramA(), b2 = paramB();
        OptimizerState saved;
        try (Optimizer first = factory.apply(List.of(a2, b2))) {
            for (int t = 0; t < 3; t++) {
                setGrads(a2, b2, t);
                first.step();
            }
            first.paramGroups().get(0).setLr(first.paramGroups().get(0).lr());
            saved = first.stateDict();
            try (Optimizer resumed = factory.apply(List.of(a2, b2))) {
                resumed.loadStateDict(saved);
                first.close();
                for (int t = 3; t < 5; t++) {
                    setGrads(a2, b2, t);
                    resumed.step();
                }
                assertEquals(5, resumed.state(a2).step());
            }
        }
        assertArrayEquals(a.toDoubleArray(), a2.toDoubleArray(), 0, factory.toString());
        assertArrayEquals(b.toDoubleArray(), b2.toDoubleArray(), 0);
    }

    @Test
    void stateDictRestoresGroupOptions() {
        Tensor a = paramA();
        try (SGD opt = SGD.with().lr(0.1).build(List.of(a)); SGD other = SGD.with().lr(0.5).build(List.of(paramA()))) {
            opt.paramGroups().get(0).setLr(0.025);
            other.loadStateDict(opt.stateDict());
            assertEquals(0.025, other.paramGroups().get(0).lr());
        }
    }

    @Test
    void loadStateDictRejectsAMismatch() {
        Tensor a = paramA(), b = paramB();
        try (Adam adam = Adam.with().build(List.of(a, b));
                SGD sgd = SGD.with().lr(0.1).build(List.of(paramA(), paramB()))) {
            setGrads(a, b, 0);
            adam.step();
            var wrongKind = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(adam.stateDict()));
            assertTrue(wrongKind.getMessage().contains("saved by Adam"), wrongKind.getMessage());
            try (Adam swapped = Adam.with().build(List.of(paramB(), paramA()))) {
                var shapes = assertThrows(IllegalArgumentException.class,
                        () -> swapped.loadStateDict(adam.stateDict()));
                assertTrue(shapes.getMessage().contains("[3]") && shapes.getMessage().contains("[2, 2]"),
                        shapes.getMessage());
            }
            try (Adam fewer = Adam.with().build(List.of(paramA()))) {
                var count = assertThrows(IllegalArgumentException.class, () -> fewer.loadStateDict(adam.stateDict()));
                assertTrue(count.getMessage().contains("2 parameters"), count.getMessage());
            }
        }
    }

    @Test
    void badArgumentsNameTheOptimizerAndValue() {
        List<Tensor> p = List.of(paramA());
        assertMessage("SGD: invalid learning rate: -1.0", () -> SGD.with().lr(-1).build(p));
        assertMessage("SGD: a learning rate is required", () -> SGD.with().build(p));
        assertMessage("Nesterov momentum requires a momentum", () -> SGD.with().lr(0.1).nesterov(true).build(p));
        assertMessage("Adam: invalid beta parameter at index 1: 1.0", () -> Adam.with().betas(0.9, 1.0).build(p));
        assertMessage("RMSprop: invalid alpha value: -0.5", () -> RMSprop.with().alpha(-0.5).build(p));
        assertMessage("unknown option \"momentun\"", () -> SGD.with().option("momentun", 0.9));
        assertMessage("more than one parameter group", () -> SGD.with().lr(0.1).build(List.of(p.get(0), p.get(0))));
        assertMessage("empty parameter list", () -> SGD.with().lr(0.1).build(List.of()));
        assertMessage("floating-point", () -> SGD.with().lr(0.1).build(List.of(Tensor.of(new long[] {1}, 1))));
        Tensor a = paramA();
        try (SGD opt = SGD.with().lr(0.1).build(List.of(a))) {
            a.setGrad(Tensor.of(new float[] {1, 2, 3}, 3));
            assertMessage("SGD.step: gradient dtype FLOAT32 does not match parameter dtype FLOAT64", opt::step);
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        var e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

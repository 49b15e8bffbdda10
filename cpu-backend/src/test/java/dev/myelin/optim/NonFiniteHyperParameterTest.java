package dev.myelin.optim;

import dev.myelin.Tensor;
import dev.myelin.optim.lr.ConstantLR;
import dev.myelin.optim.lr.CosineAnnealingLR;
import dev.myelin.optim.lr.ExponentialLR;
import dev.myelin.optim.lr.LinearLR;
import dev.myelin.optim.lr.MultiStepLR;
import dev.myelin.optim.lr.OneCycleLR;
import dev.myelin.optim.lr.PolynomialLR;
import dev.myelin.optim.lr.ReduceLROnPlateau;
import dev.myelin.optim.lr.StepLR;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NaN, +Inf and -Inf are refused for every optimizer and schedule hyper-parameter, on every path
 * that sets one: the builder, a parameter group's override, a group's setter after construction,
 * and a state dict (PyTorch's {@code not 0.0 <= lr} refuses NaN; {@code lr < 0} would let it through).
 * Each message names the optimizer or schedule, the option and the value.
 */
class NonFiniteHyperParameterTest {
    private static final double[] NON_FINITE = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    /** Every optimizer option, with a builder whose other options are valid. */
    private static final Map<String, Supplier<OptimizerBuilder<?, ?>>> BUILDERS = new LinkedHashMap<>();
    private static final Map<String, List<String>> OPTIONS = new LinkedHashMap<>();

    static {
        BUILDERS.put("SGD", () -> SGD.with().lr(0.1));
        OPTIONS.put("SGD", List.of("lr", "momentum", "dampening", "weight_decay", "nesterov"));
        BUILDERS.put("Adam", Adam::with);
        OPTIONS.put("Adam", List.of("lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"));
        BUILDERS.put("AdamW", AdamW::with);
        OPTIONS.put("AdamW", List.of("lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"));
        BUILDERS.put("RMSprop", RMSprop::with);
        OPTIONS.put("RMSprop", List.of("lr", "alpha", "eps", "weight_decay", "momentum", "centered"));
        BUILDERS.put("Adagrad", Adagrad::with);
        OPTIONS.put("Adagrad", List.of("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"));
    }

    private static List<Tensor> params() {
        return List.of(Tensor.of(new double[] {1, 2}, 2).requiresGrad(true));
    }

    static Stream<Arguments> optimizerOptions() {
        return OPTIONS.entrySet().stream().flatMap(e -> e.getValue().stream().flatMap(option ->
                Arrays.stream(NON_FINITE).mapToObj(v -> Arguments.of(e.getKey(), option, v))));
    }

    private static void rejects(Executable call, double value, String... names) {
        var e = assertThrows(IllegalArgumentException.class, call);
        for (String n : names) {
            assertTrue(e.getMessage().contains(n), () -> "expected \"" + n + "\" in: " + e.getMessage());
        }
        assertTrue(e.getMessage().contains(Double.toString(value)),
                () -> "expected the value " + value + " in: " + e.getMessage());
    }

    @ParameterizedTest(name = "{0} {1}={2} through the builder")
    @MethodSource("optimizerOptions")
    void builderRejects(String optimizer, String option, double value) {
        rejects(() -> BUILDERS.get(optimizer).get().option(option, value).build(params()), value, optimizer, option);
    }

    @ParameterizedTest(name = "{0} {1}={2} in a parameter group")
    @MethodSource("optimizerOptions")
    void paramGroupRejects(String optimizer, String option, double value) {
        var builder = BUILDERS.get(optimizer).get();
        rejects(() -> builder.buildGroups(List.of(ParamGroup.of(params()), ParamGroup.of(params()).set(option, value))),
                value, optimizer, option);
    }

    @ParameterizedTest(name = "{0} {1}={2} set on a group of a built optimizer")
    @MethodSource("optimizerOptions")
    void setterRejects(String optimizer, String option, double value) {
        try (Optimizer opt = BUILDERS.get(optimizer).get().build(params())) {
            ParamGroup g = opt.paramGroups().getFirst();
            double before = g.get(option);
            rejects(() -> g.set(option, value), value, optimizer, option);
            if (option.equals("lr")) rejects(() -> g.setLr(value), value, optimizer, "lr");
            assertEquals(before, g.get(option), "the refused value was kept");
        }
    }

    @ParameterizedTest(name = "{0} {1}={2} in a loaded state dict")
    @MethodSource("optimizerOptions")
    void stateDictRejects(String optimizer, String option, double value) {
        try (Optimizer opt = BUILDERS.get(optimizer).get().build(params())) {
            OptimizerState saved = opt.stateDict();
            Map<String, String> meta = new LinkedHashMap<>(saved.metadata());
            meta.put("group.0." + option, Double.toString(value));
            double before = opt.paramGroups().getFirst().get(option);
            rejects(() -> opt.loadStateDict(new OptimizerState(saved.tensors(), meta)), value, optimizer, option);
            assertEquals(before, opt.paramGroups().getFirst().get(option), "the refused state was applied");
        }
    }

    // ------------------------------------------------------------------ schedules

    private static SGD sgd() {
        return SGD.with().lr(0.1).momentum(0.9).build(params());
    }

    /** A schedule option: its schedule, its PyTorch name, and a build that takes the value. */
    private record ScheduleOption(String schedule, String option, DoubleConsumer build) {
        @Override
        public String toString() {
            return schedule + " " + option;
        }
    }

    private static final List<ScheduleOption> SCHEDULE_OPTIONS = List.of(
            new ScheduleOption("StepLR", "gamma", v -> new StepLR(sgd(), 2, v)),
            new ScheduleOption("MultiStepLR", "gamma", v -> new MultiStepLR(sgd(), new int[] {2}, v)),
            new ScheduleOption("ExponentialLR", "gamma", v -> new ExponentialLR(sgd(), v)),
            new ScheduleOption("ConstantLR", "factor", v -> new ConstantLR(sgd(), v, 3)),
            new ScheduleOption("LinearLR", "start_factor", v -> new LinearLR(sgd(), v, 1, 3)),
            new ScheduleOption("LinearLR", "end_factor", v -> new LinearLR(sgd(), 0.5, v, 3)),
            new ScheduleOption("PolynomialLR", "power", v -> new PolynomialLR(sgd(), 4, v)),
            new ScheduleOption("CosineAnnealingLR", "eta_min", v -> new CosineAnnealingLR(sgd(), 4, v)),
            new ScheduleOption("OneCycleLR", "max_lr", v -> OneCycleLR.with(v).totalSteps(10).build(sgd())),
            new ScheduleOption("OneCycleLR", "pct_start",
                    v -> OneCycleLR.with(1).totalSteps(10).pctStart(v).build(sgd())),
            new ScheduleOption("OneCycleLR", "div_factor", v -> OneCycleLR.with(1).totalSteps(10).divFactor(v)
                    .build(sgd())),
            new ScheduleOption("OneCycleLR", "final_div_factor",
                    v -> OneCycleLR.with(1).totalSteps(10).finalDivFactor(v).build(sgd())),
            new ScheduleOption("OneCycleLR", "base_momentum",
                    v -> OneCycleLR.with(1).totalSteps(10).baseMomentum(v).build(sgd())),
            new ScheduleOption("OneCycleLR", "max_momentum",
                    v -> OneCycleLR.with(1).totalSteps(10).maxMomentum(v).build(sgd())),
            new ScheduleOption("ReduceLROnPlateau", "factor", v -> ReduceLROnPlateau.with().factor(v).build(sgd())),
            new ScheduleOption("ReduceLROnPlateau", "threshold",
                    v -> ReduceLROnPlateau.with().threshold(v).build(sgd())),
            new ScheduleOption("ReduceLROnPlateau", "min_lr", v -> ReduceLROnPlateau.with().minLr(v).build(sgd())),
            new ScheduleOption("ReduceLROnPlateau", "eps", v -> ReduceLROnPlateau.with().eps(v).build(sgd())),
            new ScheduleOption("StepLR", "base_lr", v -> loadSchedulerState("base_lr.0", v)),
            new ScheduleOption("StepLR", "last_lr", v -> loadSchedulerState("last_lr.0", v)));

    private static void loadSchedulerState(String key, double value) {
        StepLR sched = new StepLR(sgd(), 2);
        Map<String, String> state = new LinkedHashMap<>(sched.stateDict());
        state.put(key, Double.toString(value));
        sched.loadStateDict(state);
    }

    static Stream<Arguments> scheduleOptions() {
        return SCHEDULE_OPTIONS.stream().flatMap(o -> Arrays.stream(NON_FINITE).mapToObj(v -> Arguments.of(o, v)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("scheduleOptions")
    void scheduleRejects(ScheduleOption o, double value) {
        rejects(() -> o.build().accept(value), value, o.schedule(), o.option());
    }
}

package dev.myelin.golden;

import dev.myelin.Tensor;
import dev.myelin.optim.Adagrad;
import dev.myelin.optim.Adam;
import dev.myelin.optim.AdamW;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.OptimizerBuilder;
import dev.myelin.optim.RMSprop;
import dev.myelin.optim.SGD;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * sgd, rmsprop, adagrad, adam, adamw: Myelin's optimizer classes built with the case's options
 * (their own torch.optim defaults for the rest) and stepped once per given gradient:
 * param, grads -> params_after_each_step.
 */
final class OptimizerCases {
    private OptimizerCases() {}

    private static final List<String> NUMBERS = List.of("lr", "momentum", "dampening", "weight_decay", "alpha", "eps",
            "lr_decay", "initial_accumulator_value");
    private static final List<String> FLAGS = List.of("nesterov", "centered", "amsgrad");

    static void register(Map<String, GoldenOp> ops) {
        ops.put("sgd", c -> run(c, SGD.with().lr(c.params().number("lr"))));
        ops.put("rmsprop", c -> run(c, RMSprop.with()));
        ops.put("adagrad", c -> run(c, Adagrad.with()));
        ops.put("adam", c -> run(c, Adam.with()));
        ops.put("adamw", c -> run(c, AdamW.with()));
    }

    private static GoldenOutputs run(GoldenCase c, OptimizerBuilder<?, ?> builder) {
        configure(c, builder);
        Tensor param = c.input("param");
        List<Tensor> after = new ArrayList<>();
        try (Optimizer opt = builder.build(List.of(param))) {
            for (Tensor g : c.inputList("grads")) {
                param.setGrad(g);
                opt.step();
                after.add(param.copy());
            }
        }
        return new GoldenOutputs().put("params_after_each_step", after);
    }

    /** Passes every option the case gives, by its PyTorch name. */
    private static void configure(GoldenCase c, OptimizerBuilder<?, ?> builder) {
        for (String key : NUMBERS) {
            Double v = c.params().numberOrNull(key);
            if (v != null) builder.option(key, v);
        }
        for (String key : FLAGS) {
            if (c.params().bool(key, false)) builder.option(key, 1);
        }
        double[] betas = c.params().numbers("betas", Double.NaN, Double.NaN);
        if (!Double.isNaN(betas[0])) builder.option("beta1", betas[0]).option("beta2", betas[1]);
    }
}

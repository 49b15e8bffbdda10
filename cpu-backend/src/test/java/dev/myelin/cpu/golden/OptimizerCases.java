package dev.myelin.cpu.golden;

import dev.myelin.Tensor;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * sgd, rmsprop, adagrad, adam, adamw: the backend's fused kernels driven step by step, with
 * torch.optim's defaults and zero-initialised state: param, grads (one per step) ->
 * params_after_each_step.
 */
final class OptimizerCases {
    private OptimizerCases() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("sgd", OptimizerCases::sgd);
        ops.put("rmsprop", OptimizerCases::rmsprop);
        ops.put("adagrad", OptimizerCases::adagrad);
        ops.put("adam", c -> adam(c, false));
        ops.put("adamw", c -> adam(c, true));
    }

    /** One optimizer step on its parameter; step counts from 1. */
    private interface Step {
        void apply(Tensor grad, int step);
    }

    private static Optim optim() {
        return Backends.getDefault().optim();
    }

    /** Creates the state for the parameter (init), then steps once per gradient, copying the parameter each time. */
    private static GoldenOutputs run(GoldenCase c, Function<Tensor, Step> init) {
        Tensor param = c.input("param");
        List<Tensor> grads = c.inputList("grads");
        Step step = init.apply(param);
        List<Tensor> after = new ArrayList<>();
        for (int t = 1; t <= grads.size(); t++) {
            step.apply(grads.get(t - 1), t);
            after.add(param.copy());
        }
        return new GoldenOutputs().put("params_after_each_step", after);
    }

    private static GoldenOutputs sgd(GoldenCase c) {
        double lr = c.params().number("lr");
        double momentum = c.params().number("momentum", 0);
        double dampening = c.params().number("dampening", 0);
        boolean nesterov = c.params().bool("nesterov", false);
        double weightDecay = c.params().number("weight_decay", 0);
        return run(c, p -> {
            Tensor buf = momentum != 0 ? Tensor.zerosLike(p) : null;
            return (g, t) -> optim().sgd(p, g, buf, lr, momentum, dampening, nesterov, weightDecay, t == 1);
        });
    }

    private static GoldenOutputs rmsprop(GoldenCase c) {
        double lr = c.params().number("lr", 1e-2);
        double alpha = c.params().number("alpha", 0.99);
        double eps = c.params().number("eps", 1e-8);
        double weightDecay = c.params().number("weight_decay", 0);
        double momentum = c.params().number("momentum", 0);
        boolean centered = c.params().bool("centered", false);
        return run(c, p -> {
            Tensor squareAvg = Tensor.zerosLike(p);
            Tensor gradAvg = centered ? Tensor.zerosLike(p) : null;
            Tensor buf = momentum > 0 ? Tensor.zerosLike(p) : null;
            return (g, t) -> optim().rmsprop(p, g, squareAvg, gradAvg, buf, lr, alpha, eps, weightDecay, momentum);
        });
    }

    private static GoldenOutputs adagrad(GoldenCase c) {
        double lr = c.params().number("lr", 1e-2);
        double lrDecay = c.params().number("lr_decay", 0);
        double weightDecay = c.params().number("weight_decay", 0);
        double initial = c.params().number("initial_accumulator_value", 0);
        double eps = c.params().number("eps", 1e-10);
        return run(c, p -> {
            Tensor sum = Tensor.fullLike(p, initial);
            return (g, t) -> optim().adagrad(p, g, sum, lr / (1 + (t - 1) * lrDecay), weightDecay, eps);
        });
    }

    /** AdamW's default weight decay is 1e-2, Adam's 0. */
    private static GoldenOutputs adam(GoldenCase c, boolean decoupled) {
        double lr = c.params().number("lr", 1e-3);
        double[] betas = c.params().numbers("betas", 0.9, 0.999);
        double eps = c.params().number("eps", 1e-8);
        double weightDecay = c.params().number("weight_decay", decoupled ? 1e-2 : 0);
        boolean amsgrad = c.params().bool("amsgrad", false);
        return run(c, p -> {
            Tensor expAvg = Tensor.zerosLike(p), expAvgSq = Tensor.zerosLike(p);
            Tensor maxExpAvgSq = amsgrad ? Tensor.zerosLike(p) : null;
            return (g, t) -> optim().adam(p, g, expAvg, expAvgSq, maxExpAvgSq, lr, betas[0], betas[1], eps,
                    weightDecay, decoupled, t);
        });
    }
}

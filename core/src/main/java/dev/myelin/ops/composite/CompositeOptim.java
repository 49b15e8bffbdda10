package dev.myelin.ops.composite;

import dev.myelin.MemoryScope;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Fused;
import dev.myelin.backend.Optim;
import dev.myelin.ops.OptimChecks;

/**
 * The optimizer updates composed from elementwise Tensor ops: the default of {@link Fused#OPTIMIZER}.
 * Each method computes torch.optim's single-tensor step (PyTorch 1.13, the formulas on
 * {@link Optim}'s methods and in the same order as the fused kernels) without grad, then copies
 * the new values into the parameter and its state in place. Like the kernels, it leaves the
 * version counters alone ({@code Optimizer.step} counts the write on either path) and never
 * writes the gradient; parameters and states may be any views without overlapping elements.
 */
public final class CompositeOptim implements Optim {
    public static final CompositeOptim INSTANCE = new CompositeOptim();

    private CompositeOptim() {}

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor momentumBuf, double lr, double momentum, double dampening,
                    boolean nesterov, double weightDecay, boolean firstStep) {
        OptimChecks.operands("sgd", param, grad);
        Tensor buf = momentum == 0 ? null
                : OptimChecks.state("sgd", "momentumBuf", momentumBuf, param, "momentum " + momentum);
        noOverlap("sgd", param, buf);
        try (var ng = GradMode.noGrad(); var scope = MemoryScope.open()) {
            Tensor d = weightDecay == 0 ? grad : grad.add(param.mul(weightDecay));
            if (buf != null) {
                Tensor b = firstStep ? d : buf.mul(momentum).add(d.mul(1 - dampening));
                write(b, buf);
                d = nesterov ? d.add(b.mul(momentum)) : b;
            }
            write(param.add(d.mul(-lr)), param);
        }
    }

    @Override
    public void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuf,
                        double lr, double alpha, double eps, double weightDecay, double momentum) {
        OptimChecks.operands("rmsprop", param, grad);
        OptimChecks.state("rmsprop", "squareAvg", squareAvg, param, "every step");
        if (gradAvg != null) OptimChecks.state("rmsprop", "gradAvg", gradAvg, param, "centered");
        Tensor buf = momentum > 0
                ? OptimChecks.state("rmsprop", "momentumBuf", momentumBuf, param, "momentum " + momentum) : null;
        noOverlap("rmsprop", param, squareAvg, gradAvg, buf);
        try (var ng = GradMode.noGrad(); var scope = MemoryScope.open()) {
            Tensor g = weightDecay == 0 ? grad : grad.add(param.mul(weightDecay));
            Tensor sq = squareAvg.mul(alpha).add(g.mul(1 - alpha).mul(g));
            write(sq, squareAvg);
            Tensor avg;
            if (gradAvg != null) {
                Tensor ga = gradAvg.mul(alpha).add(g.mul(1 - alpha));
                write(ga, gradAvg);
                avg = sq.sub(ga.mul(ga)).sqrt();
            } else {
                avg = sq.sqrt();
            }
            avg = avg.add(eps);
            if (buf != null) {
                Tensor b = buf.mul(momentum).add(g.div(avg));
                write(b, buf);
                write(param.add(b.mul(-lr)), param);
            } else {
                write(param.add(g.mul(-lr).div(avg)), param);
            }
        }
    }

    @Override
    public void adagrad(Tensor param, Tensor grad, Tensor stateSum, double clr, double weightDecay, double eps) {
        OptimChecks.operands("adagrad", param, grad);
        OptimChecks.state("adagrad", "stateSum", stateSum, param, "every step");
        noOverlap("adagrad", param, stateSum);
        try (var ng = GradMode.noGrad(); var scope = MemoryScope.open()) {
            Tensor g = weightDecay == 0 ? grad : grad.add(param.mul(weightDecay));
            Tensor sum = stateSum.add(g.mul(g));
            write(sum, stateSum);
            write(param.add(g.mul(-clr).div(sum.sqrt().add(eps))), param);
        }
    }

    @Override
    public void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr,
                     double beta1, double beta2, double eps, double weightDecay, boolean decoupledWeightDecay,
                     long step) {
        String op = decoupledWeightDecay ? "adamw" : "adam";
        OptimChecks.operands(op, param, grad);
        OptimChecks.state(op, "expAvg", expAvg, param, "every step");
        OptimChecks.state(op, "expAvgSq", expAvgSq, param, "every step");
        if (maxExpAvgSq != null) OptimChecks.state(op, "maxExpAvgSq", maxExpAvgSq, param, "amsgrad");
        if (step < 1) throw new IllegalArgumentException(op + ": step counts from 1, got " + step);
        noOverlap(op, param, expAvg, expAvgSq, maxExpAvgSq);
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        try (var ng = GradMode.noGrad(); var scope = MemoryScope.open()) {
            Tensor p = param, g = grad;
            if (decoupledWeightDecay) p = param.mul(1 - lr * weightDecay);
            else if (weightDecay != 0) g = grad.add(param.mul(weightDecay));
            Tensor m = expAvg.mul(beta1).add(g.mul(1 - beta1));
            Tensor v = expAvgSq.mul(beta2).add(g.mul(1 - beta2).mul(g));
            write(m, expAvg);
            write(v, expAvgSq);
            if (maxExpAvgSq != null) {
                v = maxExpAvgSq.maximum(v);
                write(v, maxExpAvgSq);
            }
            Tensor denom = v.sqrt().div(biasCorrection2Sqrt).add(eps);
            write(p.add(m.mul(-stepSize).div(denom)), param);
        }
    }

    /** Copies the new values into the state or parameter: a kernel write, uncounted (see the class comment). */
    private static void write(Tensor value, Tensor dst) {
        if (value == dst) return;
        dst.backend().elementwise().copy(value, dst);
    }

    private static void noOverlap(String op, Tensor... tensors) {
        for (Tensor t : tensors) if (t != null && !t.isContiguous()) OptimChecks.noOverlap(op, t);
    }
}

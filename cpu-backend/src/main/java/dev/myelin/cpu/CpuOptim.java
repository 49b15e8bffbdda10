package dev.myelin.cpu;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.backend.Optim;
import dev.myelin.ops.OptimChecks;

import java.util.function.Consumer;

/**
 * CPU kernels of the Optim family: checks, then one fused pass per parameter ({@link OptimSgd},
 * {@link OptimRmsprop}, {@link OptimAdagrad}, {@link OptimAdam}), float32 vectorized and float64
 * scalar, both parallel for large tensors. Parameters and states may be any non-overlapping
 * views; non-contiguous ones are updated through contiguous copies. The gradient is never written.
 */
final class CpuOptim implements Optim {
    /** Position of the gradient among a kernel's operands, the one operand that is only read. */
    private static final int GRAD = 1;

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor momentumBuf, double lr, double momentum, double dampening,
                    boolean nesterov, double weightDecay, boolean firstStep) {
        checkOperands("sgd", param, grad);
        Tensor buf = null;
        if (momentum != 0) buf = OptimChecks.state("sgd", "momentumBuf", momentumBuf, param, "momentum " + momentum);
        OptimSgd kernel = new OptimSgd(lr, momentum, dampening, nesterov, weightDecay, firstStep);
        inPlace("sgd", new Tensor[] {param, grad, buf}, t -> kernel.run(t[0], t[1], t[2]));
    }

    @Override
    public void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuf,
                        double lr, double alpha, double eps, double weightDecay, double momentum) {
        checkOperands("rmsprop", param, grad);
        OptimChecks.state("rmsprop", "squareAvg", squareAvg, param, "every step");
        if (gradAvg != null) OptimChecks.state("rmsprop", "gradAvg", gradAvg, param, "centered");
        Tensor buf = null;
        if (momentum > 0) buf = OptimChecks.state("rmsprop", "momentumBuf", momentumBuf, param, "momentum " + momentum);
        OptimRmsprop kernel = new OptimRmsprop(lr, alpha, eps, weightDecay, momentum);
        inPlace("rmsprop", new Tensor[] {param, grad, squareAvg, gradAvg, buf},
                t -> kernel.run(t[0], t[1], t[2], t[3], t[4]));
    }

    @Override
    public void adagrad(Tensor param, Tensor grad, Tensor stateSum, double clr, double weightDecay, double eps) {
        checkOperands("adagrad", param, grad);
        OptimChecks.state("adagrad", "stateSum", stateSum, param, "every step");
        OptimAdagrad kernel = new OptimAdagrad(clr, weightDecay, eps);
        inPlace("adagrad", new Tensor[] {param, grad, stateSum}, t -> kernel.run(t[0], t[1], t[2]));
    }

    @Override
    public void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq, double lr,
                     double beta1, double beta2, double eps, double weightDecay, boolean decoupledWeightDecay,
                     long step) {
        String op = decoupledWeightDecay ? "adamw" : "adam";
        checkOperands(op, param, grad);
        OptimChecks.state(op, "expAvg", expAvg, param, "every step");
        OptimChecks.state(op, "expAvgSq", expAvgSq, param, "every step");
        if (maxExpAvgSq != null) OptimChecks.state(op, "maxExpAvgSq", maxExpAvgSq, param, "amsgrad");
        if (step < 1) throw new IllegalArgumentException(op + ": step counts from 1, got " + step);
        OptimAdam kernel = new OptimAdam(lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, step);
        inPlace(op, new Tensor[] {param, grad, expAvg, expAvgSq, maxExpAvgSq},
                t -> kernel.run(t[0], t[1], t[2], t[3], t[4]));
    }

    private static void checkOperands(String op, Tensor param, Tensor grad) {
        OptimChecks.operands(op, param, grad);
        if (!(param.storage() instanceof CpuStorage)) {
            throw new IllegalArgumentException(op + ": 'param' of shape " + Shape.str(param.shape()) + " is on "
                    + param.device() + ", not on the CPU backend");
        }
    }

    /**
     * Runs a kernel on contiguous operands: a non-contiguous operand is copied to a contiguous
     * temporary and, unless it is the gradient, copied back after the kernel.
     */
    private static void inPlace(String op, Tensor[] operands, Consumer<Tensor[]> kernel) {
        Tensor[] work = operands.clone();
        for (int i = 0; i < operands.length; i++) {
            Tensor t = operands[i];
            if (t == null || t.isContiguous()) continue;
            if (i != GRAD) OptimChecks.noOverlap(op, t);
            work[i] = Tensor.empty(t.backend(), t.dtype(), t.shape());
            t.backend().elementwise().copy(t, work[i]);
        }
        kernel.accept(work);
        for (int i = 0; i < operands.length; i++) {
            if (work[i] == operands[i]) continue;
            if (i != GRAD) operands[i].backend().elementwise().copy(work[i], operands[i]);
            work[i].close();
        }
    }

}

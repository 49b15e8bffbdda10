package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Optim;
import dev.myelin.cuda.kernels.KernelCall;
import dev.myelin.cuda.kernels.KernelRunner;
import dev.myelin.cuda.kernels.Launch;
import dev.myelin.ops.OptimChecks;

import java.util.function.Consumer;

import static dev.myelin.cuda.kernels.KernelCatalog.ADAGRAD;
import static dev.myelin.cuda.kernels.KernelCatalog.ADAM;
import static dev.myelin.cuda.kernels.KernelCatalog.RMSPROP;
import static dev.myelin.cuda.kernels.KernelCatalog.SGD;

/**
 * CUDA kernels of the Optim family (optim.cu): one fused in-place pass per parameter, formula for
 * formula and in the order of the CPU backend's OptimSgd / OptimRmsprop / OptimAdagrad / OptimAdam,
 * with every float32 constant rounded as the CPU's lanes round it ((float) -lr, (float) (1 - beta1),
 * ...). Checks and messages are the CPU's; non-contiguous operands are updated through
 * contiguous copies (the gradient is never written).
 */
public final class CudaOptim implements Optim {
    /** Position of the gradient among a kernel's operands, the one operand that is only read. */
    private static final int GRAD = 1;

    private final KernelRunner runner;
    private final CudaElementwise elementwise;

    /** The family on kernels launched through {@code runner} (the driver's, or a test's). */
    public CudaOptim(KernelRunner runner) {
        this.runner = runner;
        this.elementwise = new CudaElementwise(runner);
    }

    @Override
    public void sgd(Tensor param, Tensor grad, Tensor momentumBuf, double lr, double momentum, double dampening,
                    boolean nesterov, double weightDecay, boolean firstStep) {
        OptimChecks.operands("sgd", param, grad);
        Tensor buf = null;
        if (momentum != 0) buf = OptimChecks.state("sgd", "momentumBuf", momentumBuf, param, "momentum " + momentum);
        inPlace("sgd", new Tensor[] {param, grad, buf}, t -> {
            DType dt = t[0].dtype();
            runner.launch(SGD, dt, Launch.threads(t[0].numel()), Launch.block(), KernelCall.of()
                    .ptr(t[0]).ptr(t[1]).ptrOrNull(t[2]).i64(t[0].numel())
                    .real(dt, -lr).real(dt, momentum).real(dt, 1 - dampening).real(dt, weightDecay)
                    .flag(weightDecay != 0).flag(nesterov).flag(firstStep));
        });
    }

    @Override
    public void rmsprop(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuf,
                        double lr, double alpha, double eps, double weightDecay, double momentum) {
        OptimChecks.operands("rmsprop", param, grad);
        OptimChecks.state("rmsprop", "squareAvg", squareAvg, param, "every step");
        if (gradAvg != null) OptimChecks.state("rmsprop", "gradAvg", gradAvg, param, "centered");
        Tensor buf = null;
        if (momentum > 0) buf = OptimChecks.state("rmsprop", "momentumBuf", momentumBuf, param, "momentum " + momentum);
        inPlace("rmsprop", new Tensor[] {param, grad, squareAvg, gradAvg, buf}, t -> {
            DType dt = t[0].dtype();
            runner.launch(RMSPROP, dt, Launch.threads(t[0].numel()), Launch.block(), KernelCall.of()
                    .ptr(t[0]).ptr(t[1]).ptr(t[2]).ptrOrNull(t[3]).ptrOrNull(t[4]).i64(t[0].numel())
                    .real(dt, -lr).real(dt, alpha).real(dt, 1 - alpha).real(dt, eps).real(dt, weightDecay)
                    .flag(weightDecay != 0).real(dt, momentum));
        });
    }

    @Override
    public void adagrad(Tensor param, Tensor grad, Tensor stateSum, double clr, double weightDecay, double eps) {
        OptimChecks.operands("adagrad", param, grad);
        OptimChecks.state("adagrad", "stateSum", stateSum, param, "every step");
        inPlace("adagrad", new Tensor[] {param, grad, stateSum}, t -> {
            DType dt = t[0].dtype();
            runner.launch(ADAGRAD, dt, Launch.threads(t[0].numel()), Launch.block(), KernelCall.of()
                    .ptr(t[0]).ptr(t[1]).ptr(t[2]).i64(t[0].numel())
                    .real(dt, -clr).real(dt, weightDecay).flag(weightDecay != 0).real(dt, eps));
        });
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
        double paramDecay = 1 - lr * weightDecay;
        double stepSize = lr / (1 - Math.pow(beta1, step));
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        inPlace(op, new Tensor[] {param, grad, expAvg, expAvgSq, maxExpAvgSq}, t -> {
            DType dt = t[0].dtype();
            runner.launch(ADAM, dt, Launch.threads(t[0].numel()), Launch.block(), KernelCall.of()
                    .ptr(t[0]).ptr(t[1]).ptr(t[2]).ptr(t[3]).ptrOrNull(t[4]).i64(t[0].numel())
                    .real(dt, beta1).real(dt, 1 - beta1).real(dt, beta2).real(dt, 1 - beta2).real(dt, eps)
                    .real(dt, weightDecay).flag(weightDecay != 0).flag(decoupledWeightDecay).real(dt, paramDecay)
                    .real(dt, -stepSize).real(dt, biasCorrection2Sqrt));
        });
    }

    /**
     * Runs a kernel on contiguous operands: a non-contiguous operand is copied to a contiguous
     * temporary and, unless it is the gradient, copied back after the kernel.
     */
    private void inPlace(String op, Tensor[] operands, Consumer<Tensor[]> kernel) {
        if (operands[0].numel() == 0) return;
        try (Scratch scratch = new Scratch(operands[0])) {
            Tensor[] work = operands.clone();
            for (int i = 0; i < operands.length; i++) {
                Tensor t = operands[i];
                if (t == null || t.isContiguous()) continue;
                if (i != GRAD) OptimChecks.noOverlap(op, t);
                work[i] = elementwise.contiguous(scratch, t);
            }
            kernel.accept(work);
            for (int i = 0; i < operands.length; i++) {
                if (work[i] != operands[i] && i != GRAD) elementwise.copy(work[i], operands[i]);
            }
        }
    }

}

package dev.myelin.ops.composite;

import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.ops.ElementwiseOps;

import java.util.Arrays;

/**
 * Batch norm composed from reductions and elementwise ops; autograd gives the gradients. What
 * {@link dev.myelin.ops.NormOps#batchNorm} runs on a backend that does not list
 * {@link dev.myelin.backend.Fused#BATCH_NORM}, and the reference its fused kernels are tested against.
 */
public final class BatchNormComposite {
    private BatchNormComposite() {}

    /**
     * F.batch_norm on x [N, C, *] with the arguments {@code NormOps.batchNorm} has checked. Training:
     * the batch's mean and biased variance normalize x, and the running tensors that are given become
     * {@code momentum * stat + (1 - momentum) * running} in place (unbiased variance for runningVar;
     * one version bump each), under no-grad. Eval: the running statistics normalize, as constants.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        int c = x.size(1);
        int[] channel = new int[x.dim()], dims = new int[x.dim() - 1];
        Arrays.fill(channel, 1);
        channel[1] = c;
        for (int i = 0, j = 0; i < x.dim(); i++) if (i != 1) dims[j++] = i;
        Tensor mean, invStd;
        if (training) {
            if (runningMean != null) ElementwiseOps.checkInPlace("batch_norm", runningMean);
            if (runningVar != null) ElementwiseOps.checkInPlace("batch_norm", runningVar);
            mean = x.mean(dims, true);
            Tensor var = x.var(dims, 0, true);
            invStd = var.add(eps).rsqrt();
            long n = x.numel() / c;
            try (var ng = GradMode.noGrad()) {
                update(runningMean, mean, momentum);
                if (runningVar != null) update(runningVar, var.mul((double) n / (n - 1)), momentum);
            }
        } else {
            try (var ng = GradMode.noGrad()) {
                mean = runningMean.reshape(channel);
                invStd = runningVar.reshape(channel).add(eps).rsqrt();
            }
        }
        // The per-channel factors are combined first, so the big tensor sees three ops.
        Tensor scale = weight == null ? invStd : invStd.mul(weight.reshape(channel));
        Tensor y = x.sub(mean).mul(scale);
        return bias == null ? y : y.add(bias.reshape(channel));
    }

    /** {@code running = momentum * stat + (1 - momentum) * running}, PyTorch's order, written in place. */
    private static void update(Tensor running, Tensor stat, double momentum) {
        if (running == null) return;
        running.copyFrom(stat.reshape(running.shape()).mul(momentum).add(running.mul(1 - momentum)));
    }
}

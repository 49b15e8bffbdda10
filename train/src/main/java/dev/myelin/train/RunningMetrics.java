package dev.myelin.train;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.distributed.ProcessGroup;
import dev.myelin.distributed.ReduceOp;

/** Sample-weighted mean loss and classification accuracy accumulated batch by batch. */
final class RunningMetrics {
    private double lossSum;
    private long correct, samples;
    private boolean classification = true;

    /** Adds a batch of {@code n} samples whose mean loss is {@code loss}. */
    void add(double loss, Tensor output, Tensor labels, int n) {
        lossSum += loss * n;
        samples += n;
        if (classification && isClassification(output, labels)) {
            try (var ignored = GradMode.noGrad()) {
                correct += (long) output.argmax(1, false).eq(labels.to(DType.INT64)).sum().item();
            }
        } else {
            classification = false;
        }
    }

    private static boolean isClassification(Tensor output, Tensor labels) {
        return output.dim() == 2 && labels.dim() == 1 && !labels.dtype().isFloating()
                && labels.size(0) == output.size(0);
    }

    /**
     * Replaces the sums with their totals over the ranks of {@code group}, so that the means are those over the
     * union of the ranks' samples. A collective: every rank calls it.
     */
    void reduce(ProcessGroup group) {
        double[] total = group.allReduce(new double[] {lossSum, samples, correct, classification ? 1 : 0},
                ReduceOp.SUM);
        lossSum = total[0];
        samples = Math.round(total[1]);
        correct = Math.round(total[2]);
        // Accuracy only when every rank's outputs were class scores.
        classification = Math.round(total[3]) == group.worldSize();
    }

    double meanLoss() {
        return samples == 0 ? Double.NaN : lossSum / samples;
    }

    double accuracy() {
        return classification && samples > 0 ? (double) correct / samples : Double.NaN;
    }

    long samples() {
        return samples;
    }
}

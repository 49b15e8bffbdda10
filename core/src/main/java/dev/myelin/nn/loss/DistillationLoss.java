package dev.myelin.nn.loss;

import dev.myelin.Shape;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.nn.functional.Reduction;
import dev.myelin.ops.Checks;

import java.util.Arrays;

/**
 * Knowledge distillation (Hinton et al.): {@code alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T))
 * + (1 - alpha) * hard(student, target)}, KL averaged over the batch. The T^2 keeps the soft term's
 * gradient scale independent of T. The teacher's logits are detached: no gradient reaches the teacher.
 */
public final class DistillationLoss {
    private final double temperature, alpha;
    private final Loss hard;

    /** With cross-entropy on the hard labels. */
    public DistillationLoss(double temperature, double alpha) {
        this(temperature, alpha, new CrossEntropyLoss());
    }

    public DistillationLoss(double temperature, double alpha, Loss hard) {
        Checks.finitePositive("DistillationLoss", "temperature", temperature);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("DistillationLoss: alpha must be in [0, 1], got " + alpha);
        }
        this.temperature = temperature;
        this.alpha = alpha;
        this.hard = hard;
    }

    /** student and teacher logits [N, C]; target class indices [N]. */
    public Tensor forward(Tensor student, Tensor teacher, Tensor target) {
        if (!Arrays.equals(student.shape(), teacher.shape())) {
            throw new IllegalArgumentException("distillation_loss: student logits " + Shape.str(student.shape())
                    + " and teacher logits " + Shape.str(teacher.shape()) + " differ in shape");
        }
        double t = temperature;
        Tensor soft = F.klDiv(F.logSoftmax(student.div(t), 1), F.softmax(teacher.detach().div(t), 1),
                Reduction.BATCHMEAN, false);
        return soft.mul(alpha * t * t).add(hard.forward(student, target).mul(1 - alpha));
    }

    public double temperature() {
        return temperature;
    }

    public double alpha() {
        return alpha;
    }
}

package dev.myelin.golden;

import dev.myelin.Tensor;
import dev.myelin.nn.loss.DistillationLoss;
import dev.myelin.nn.loss.MSELoss;
import dev.myelin.nn.loss.Penalty;
import dev.myelin.nn.loss.RegularizedLoss;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The composite losses of dev.myelin.nn.loss (DistillationLoss, Penalty in a RegularizedLoss),
 * each checked against the "formula" its cases state. A case
 * whose formula differs from the one implemented here fails rather than run something else.
 */
final class CompositeLossCases {
    static final String DISTILLATION = "alpha*T^2*KL_batchmean(softmax(teacher/T) || log_softmax(student/T))"
            + " + (1-alpha)*CE_mean(student, target)";
    static final String REGULARIZED_MSE = "mse_mean(x @ w1^T, y) + sum_over_params(l1*sum|p| + (l2/2)*sum p^2),"
            + " params = [w1, w2]";

    private CompositeLossCases() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("distillation_loss", CompositeLossCases::distillation);
        ops.put("regularized_mse", CompositeLossCases::regularizedMse);
    }

    /** Knowledge distillation: student, teacher (logits), target (class indices) -> loss, grad_student. */
    private static GoldenOutputs distillation(GoldenCase c) {
        requireFormula(c, DISTILLATION);
        double t = c.params().number("temperature");
        double alpha = c.params().number("alpha");
        Tensor student = c.leaf("student");
        Tensor teacher = c.input("teacher");
        Tensor target = c.longInput("target");
        Tensor loss = new DistillationLoss(t, alpha).forward(student, teacher, target);
        loss.backward(c.gradOut(loss));
        return new GoldenOutputs().put("loss", loss).put("grad_student", student.grad());
    }

    /** MSE of a linear map plus L1 and L2 penalties over both weights: x, y, w1, w2 -> loss, penalty, grads. */
    private static GoldenOutputs regularizedMse(GoldenCase c) {
        requireFormula(c, REGULARIZED_MSE);
        double l1 = c.params().number("l1", 0);
        double l2 = c.params().number("l2", 0);
        Tensor x = c.input("x");
        Tensor y = c.input("y");
        Tensor w1 = c.leaf("w1");
        Tensor w2 = c.leaf("w2");
        Penalty penaltyTerm = Penalty.elasticNet(l1, l2, List.of(w1, w2));
        Tensor penalty = penaltyTerm.compute();
        Tensor loss = new RegularizedLoss(new MSELoss(), penaltyTerm).forward(x.matmul(w1.t()), y);
        loss.backward(c.gradOut(loss));
        return new GoldenOutputs().put("loss", loss).put("penalty", penalty)
                .put("grad_w1", w1.grad()).put("grad_w2", w2.grad());
    }


    /** The case's formula, if it states one, must be the one implemented (spaces aside). */
    private static void requireFormula(GoldenCase c, String implemented) {
        String formula = c.params().string("formula", implemented);
        if (!formula.replaceAll("\\s+", "").equals(implemented.replaceAll("\\s+", ""))) {
            fail(c.op() + ": the case's formula \"" + formula + "\" is not the one this runner implements: \""
                    + implemented + "\"");
        }
    }
}

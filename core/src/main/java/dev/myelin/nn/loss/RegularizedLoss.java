package dev.myelin.nn.loss;

import dev.myelin.Shape;
import dev.myelin.autograd.GradMode;
import dev.myelin.Tensor;

import java.util.List;

/**
 * A loss plus penalties on parameters: {@code base(input, target) + sum of penalties} (the "loss + lambda * ||w||"
 * recipe).
 */
public final class RegularizedLoss implements Loss {
    private final Loss base;
    private final List<Penalty> penalties;

    public RegularizedLoss(Loss base, Penalty... penalties) {
        this.base = base;
        this.penalties = List.of(penalties);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        Tensor loss = base.forward(input, target);
        if (loss.dim() != 0) {
            throw new IllegalArgumentException("regularized_loss: the base loss must reduce to a scalar, got "
                    + Shape.str(loss.shape()));
        }
        for (Penalty p : penalties) loss = loss.add(p.compute());
        return loss;
    }

    /** The penalties' current total (zero without penalties), e.g. to log it apart from the data loss. */
    public double penaltyValue() {
        double total = 0;
        try (var ignored = GradMode.noGrad()) {
            for (Penalty p : penalties) total += p.compute().item();
        }
        return total;
    }
}

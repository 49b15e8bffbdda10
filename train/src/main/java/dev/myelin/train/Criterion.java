package dev.myelin.train;

import dev.myelin.Tensor;
import dev.myelin.data.Batch;
import dev.myelin.nn.loss.Loss;

/**
 * The training objective of one batch given the model's output. Most models use a {@link Loss}
 * of output and labels ({@link #of}); others need the batch itself, e.g. distillation, which
 * asks a teacher for its logits on {@code batch.x()}.
 */
@FunctionalInterface
public interface Criterion {
    Tensor loss(Tensor output, Batch batch);

    /** The loss of the output against the batch's labels. */
    static Criterion of(Loss loss) {
        return (output, batch) -> loss.forward(output, batch.y());
    }
}

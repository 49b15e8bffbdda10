package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.random.Generator;

/**
 * Inverted dropout (torch.nn.Dropout): in training zeroes each element with probability p and
 * scales the rest by 1/(1-p); identity in eval. Masks come from the default generator
 * ({@link dev.myelin.Myelin#manualSeed}) unless the layer is given its own {@link Generator}: then
 * its masks depend on that generator alone, whatever else draws meanwhile (two models trained side
 * by side stay reproducible), and are the same on every backend.
 */
public final class Dropout extends Module {
    private final double p;
    private final Generator generator;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, null);
    }

    /** @param generator the generator the masks come from; null for the default one */
    public Dropout(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.generator = generator == null ? Generator.defaultGenerator() : generator;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.dropout(x, p, isTraining(), generator);
    }

    /** The generator the masks come from (the default one unless the layer was given another). */
    public Generator generator() {
        return generator;
    }

    @Override
    protected String describe() {
        return "p=" + p;
    }
}

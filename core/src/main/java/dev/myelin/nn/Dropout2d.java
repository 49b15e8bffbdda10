package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.random.Generator;

/**
 * Channel dropout (torch.nn.Dropout2d): in training zeroes whole channels of [N, C, H, W] input
 * with probability p, scaling the rest by 1/(1-p); identity in eval. Masks come from the default
 * generator unless the layer is given its own, as {@link Dropout}.
 */
public final class Dropout2d extends Module {
    private final double p;
    private final Generator generator;

    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        this(p, null);
    }

    /** @param generator the generator the masks come from; null for the default one */
    public Dropout2d(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout2d: probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.generator = generator == null ? Generator.defaultGenerator() : generator;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.dropout2d(x, p, isTraining(), generator);
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

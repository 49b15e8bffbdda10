package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.ops.MatmulOps;
import dev.myelin.random.Generator;

/**
 * {@code y = x W^T + b} over the last dimension (torch.nn.Linear). Weight [out, in] and bias [out]
 * start as PyTorch's: U(-1/sqrt(in), 1/sqrt(in)) (Kaiming uniform with a = sqrt(5)), drawn from the
 * default generator, or from the one given to the constructor or {@link #resetParameters(Generator)}
 * (the same draws, weight first: {@code new Linear(in, out, true, FLOAT32, new Generator(s))} equals
 * {@code new Linear(in, out)} after {@code Myelin.manualSeed(s)}).
 */
public final class Linear extends Module {
    private final int inFeatures, outFeatures;
    public final Tensor weight;
    public final Tensor bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, DType.FLOAT32);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype) {
        this(inFeatures, outFeatures, bias, dtype, null);
    }

    /** @param generator where the initial weight and bias are drawn from; null for the default generator */
    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype, Generator generator) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be positive, got "
                    + inFeatures + ", " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.empty(dtype, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.empty(dtype, outFeatures)) : null;
        resetParameters(generator);
    }

    /**
     * Draws the weight and bias afresh as the constructor does (PyTorch's reset_parameters), from the default
     * generator.
     */
    public void resetParameters() {
        resetParameters(null);
    }

    /** Draws the weight and bias afresh from {@code generator} (null for the default one), weight first. */
    public void resetParameters(Generator generator) {
        Init.layerDefault(weight, bias, generator);
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.linear(x, weight, bias);
    }

    /** {@code activation(forward(x))}, with the bias and the activation fused into one kernel. */
    Tensor forwardThen(ElementwiseActivation activation, Tensor x) {
        return MatmulOps.linear(x, weight, bias, activation.kind(), activation.param());
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String describe() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null);
    }
}

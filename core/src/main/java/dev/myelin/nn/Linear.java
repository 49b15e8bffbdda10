package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.ops.MatmulOps;

/**
 * {@code y = x W^T + b} over the last dimension (torch.nn.Linear). Weight [out, in] and bias [out]
 * start as PyTorch's: U(-1/sqrt(in), 1/sqrt(in)) (Kaiming uniform with a = sqrt(5)).
 */
public final class Linear extends Module {
    private final int inFeatures, outFeatures;
    public final Tensor weight;
    public final Tensor bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, DType.FLOAT32);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: in_features and out_features must be positive, got " + inFeatures + ", " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.empty(dtype, outFeatures, inFeatures));
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
        double bound = 1 / Math.sqrt(inFeatures);
        this.bias = bias ? registerParameter("bias", Init.uniform(Tensor.empty(dtype, outFeatures), -bound, bound)) : null;
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

package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.ops.Checks;

/**
 * Group normalization (torch.nn.GroupNorm): the channels of x [N, C, *] in numGroups groups, each
 * sample's group normalized with its mean and biased variance, then scaled and shifted per channel
 * (weight 1, bias 0 at the start). The same in training and eval: no running statistics.
 */
public final class GroupNorm extends Module {
    private final int numGroups, numChannels;
    private final double eps;
    public final Tensor weight, bias;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true, DType.FLOAT32);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine, DType dtype) {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels must be positive and divisible by num_groups, "
                    + "got num_groups=" + numGroups + ", num_channels=" + numChannels);
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = Checks.finitePositive("GroupNorm", "eps", eps);
        this.weight = affine ? registerParameter("weight", Tensor.ones(dtype, numChannels)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(dtype, numChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.groupNorm(x, numGroups, weight, bias, eps);
    }

    @Override
    protected String describe() {
        return numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + (weight != null);
    }
}

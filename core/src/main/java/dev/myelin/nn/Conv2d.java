package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;
import dev.myelin.random.Generator;

import java.util.Arrays;

/**
 * 2-D convolution over [N, C, H, W] (torch.nn.Conv2d). Weight [out, in / groups, kh, kw] and bias
 * [out] start as PyTorch's: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in / groups * kh * kw,
 * drawn from the default generator or from the one given to the constructor or
 * {@link #resetParameters(Generator)} (the same draws, weight first).
 */
public final class Conv2d extends Module {
    private final int in, out, groups;
    private final int[] kernel, stride, padding, dilation;
    public final Tensor weight;
    public final Tensor bias;

    /** Square kernel, stride 1, no padding. */
    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0);
    }

    /** Square kernel with the same stride and padding in both dimensions. */
    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, 1, true, DType.FLOAT32);
    }

    public Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias,
            DType dtype) {
        this(in, out, kernel, stride, padding, dilation, groups, bias, dtype, null);
    }

    /** @param generator where the initial weight and bias are drawn from; null for the default generator */
    public Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias,
            DType dtype, Generator generator) {
        if (in <= 0 || out <= 0 || groups <= 0 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: in_channels (" + in + ") and out_channels (" + out
                    + ") must be positive and divisible by groups (" + groups + ")");
        }
        if (kernel.length != 2 || kernel[0] <= 0 || kernel[1] <= 0) {
            throw new IllegalArgumentException("Conv2d: kernel_size must be two positive ints, got "
                    + Arrays.toString(kernel));
        }
        this.in = in;
        this.out = out;
        this.groups = groups;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.weight = registerParameter("weight", Tensor.empty(dtype, out, in / groups, kernel[0], kernel[1]));
        this.bias = bias ? registerParameter("bias", Tensor.empty(dtype, out)) : null;
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
        return F.conv2d(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    protected String describe() {
        return in + ", " + out + ", kernel_size=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding) + (groups != 1 ? ", groups=" + groups : "")
                + (Arrays.equals(dilation, new int[] {1, 1}) ? "" : ", dilation=" + Arrays.toString(dilation))
                + (bias == null ? ", bias=false" : "");
    }
}

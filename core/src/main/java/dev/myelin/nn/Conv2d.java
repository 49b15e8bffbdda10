package dev.myelin.nn;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

import java.util.Arrays;

/**
 * 2-D convolution over [N, C, H, W] (torch.nn.Conv2d). Weight [out, in / groups, kh, kw] and bias
 * [out] start as PyTorch's: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in / groups * kh * kw.
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
        this(in, out, new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1}, 1, true,
                DType.FLOAT32);
    }

    public Conv2d(int in, int out, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups, boolean bias, DType dtype) {
        if (in <= 0 || out <= 0 || groups <= 0 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: in_channels (" + in + ") and out_channels (" + out
                    + ") must be positive and divisible by groups (" + groups + ")");
        }
        if (kernel.length != 2 || kernel[0] <= 0 || kernel[1] <= 0) {
            throw new IllegalArgumentException("Conv2d: kernel_size must be two positive ints, got " + Arrays.toString(kernel));
        }
        this.in = in;
        this.out = out;
        this.groups = groups;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.weight = registerParameter("weight", Tensor.empty(dtype, out, in / groups, kernel[0], kernel[1]));
        Init.kaimingUniform(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
        double bound = 1 / Math.sqrt((double) in / groups * kernel[0] * kernel[1]);
        this.bias = bias ? registerParameter("bias", Init.uniform(Tensor.empty(dtype, out), -bound, bound)) : null;
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

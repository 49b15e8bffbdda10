package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

import java.util.Arrays;

/** Max pooling over [N, C, H, W] (torch.nn.MaxPool2d); stride defaults to the kernel size. */
public final class MaxPool2d extends Module {
    private final int[] kernel, stride, padding;
    private final boolean ceilMode;

    public MaxPool2d(int kernel) {
        this(new int[] {kernel, kernel}, null, new int[] {0, 0}, false);
    }

    /** stride null means the kernel size. */
    public MaxPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode) {
        this.kernel = kernel.clone();
        this.stride = stride == null ? kernel.clone() : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.maxPool2d(x, kernel, stride, padding, ceilMode);
    }

    @Override
    protected String describe() {
        return "kernel_size=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding="
                + Arrays.toString(padding);
    }
}

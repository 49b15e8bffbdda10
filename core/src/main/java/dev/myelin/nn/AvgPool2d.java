package dev.myelin.nn;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

import java.util.Arrays;

/** Average pooling over [N, C, H, W] (torch.nn.AvgPool2d); stride defaults to the kernel size. */
public final class AvgPool2d extends Module {
    private final int[] kernel, stride, padding;
    private final boolean ceilMode, countIncludePad;

    public AvgPool2d(int kernel) {
        this(new int[] {kernel, kernel}, null, new int[] {0, 0}, false, true);
    }

    /** stride null means the kernel size. */
    public AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernel.clone();
        this.stride = stride == null ? kernel.clone() : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.avgPool2d(x, kernel, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String describe() {
        return "kernel_size=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding="
                + Arrays.toString(padding);
    }
}

package dev.myelin.golden;

import dev.myelin.Tensor;
import dev.myelin.nn.functional.F;

import java.util.Map;
import java.util.function.UnaryOperator;

/** linear, conv2d, max_pool2d and avg_pool2d through F. */
final class LayerCases {
    private LayerCases() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("linear", c -> withWeights(c, (x, w, b) -> F.linear(x, w, b)));
        ops.put("conv2d", c -> {
            int[] stride = c.params().pair("stride", new int[] {1, 1});
            int[] padding = c.params().pair("padding", new int[] {0, 0});
            int[] dilation = c.params().pair("dilation", new int[] {1, 1});
            int groups = c.params().integer("groups", 1);
            return withWeights(c, (x, w, b) -> F.conv2d(x, w, b, stride, padding, dilation, groups));
        });
        ops.put("max_pool2d", c -> {
            Window w = Window.of(c);
            boolean ceil = c.params().bool("ceil_mode", false);
            return pool(c, x -> F.maxPool2d(x, w.kernel, w.stride, w.padding, ceil));
        });
        ops.put("avg_pool2d", c -> {
            Window w = Window.of(c);
            boolean ceil = c.params().bool("ceil_mode", false);
            boolean includePad = c.params().bool("count_include_pad", true);
            return pool(c, x -> F.avgPool2d(x, w.kernel, w.stride, w.padding, ceil, includePad));
        });
    }

    private interface Layer {
        Tensor apply(Tensor x, Tensor weight, Tensor bias);
    }

    /** x, weight, bias (optional), grad_out -> y, grad_x, grad_weight, grad_bias. */
    private static GoldenOutputs withWeights(GoldenCase c, Layer layer) {
        Tensor x = c.leaf("x");
        Tensor weight = c.leaf("weight");
        Tensor bias = c.leafOrNull("bias");
        Tensor y = layer.apply(x, weight, bias);
        y.backward(c.gradOut(y));
        GoldenOutputs out = new GoldenOutputs().put("y", y).put("grad_x", x.grad()).put("grad_weight", weight.grad());
        if (bias != null) out.put("grad_bias", bias.grad());
        return out;
    }

    /** A pooling window: kernel_size, stride (absent: the kernel size) and padding, as pairs. */
    private record Window(int[] kernel, int[] stride, int[] padding) {
        static Window of(GoldenCase c) {
            int[] kernel = c.params().pair("kernel_size", null);
            return new Window(kernel, c.params().pair("stride", kernel), c.params().pair("padding", new int[] {0, 0}));
        }
    }

    private static GoldenOutputs pool(GoldenCase c, UnaryOperator<Tensor> pool) {
        Tensor x = c.leaf("x");
        Tensor y = pool.apply(x);
        y.backward(c.gradOut(y));
        return new GoldenOutputs().put("y", y).put("grad_x", x.grad());
    }
}

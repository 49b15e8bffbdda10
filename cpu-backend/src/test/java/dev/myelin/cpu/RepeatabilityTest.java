package dev.myelin.cpu;

import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.LayerNorm;
import dev.myelin.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The same inputs give the same bits, call after call, on every thread count: a seed must give
 * the same training run. Kernels split work between threads dynamically and are recompiled by
 * the JIT while they run, so an order of summation left to either (e.g. reduceLanes(ADD)) shows
 * up here as a last-bit difference. Shapes are large enough for the work to be split.
 */
class RepeatabilityTest {
    private static final int REPEATS = 8;

    /** The op's output and its input gradient under a fixed upstream gradient. */
    private static float[] forwardBackward(Function<Tensor, Tensor> op, int... shape) {
        Myelin.manualSeed(3);
        Tensor x = Tensor.randn(shape).requiresGrad(true);
        Tensor y = op.apply(x);
        Myelin.manualSeed(4);
        if (y.numel() == 1) y.backward();
        else y.backward(Tensor.randn(y.shape()));
        float[] out = y.detach().toFloatArray(), grad = x.grad().toFloatArray();
        float[] both = Arrays.copyOf(out, out.length + grad.length);
        System.arraycopy(grad, 0, both, out.length, grad.length);
        return both;
    }

    private static void assertRepeatable(String name, Function<Tensor, Tensor> op, int... shape) {
        float[] first = forwardBackward(op, shape);
        for (int i = 1; i < REPEATS; i++) {
            assertArrayEquals(first, forwardBackward(op, shape), name + ": call " + (i + 1) + " differs from call 1");
        }
    }

    @Test
    void batchNorm2dConvAndLayerNorm() {
        assertRepeatable("batch_norm2d", new BatchNorm2d(16)::forward, 32, 16, 14, 14);
        Myelin.manualSeed(1);
        assertRepeatable("conv2d", new Conv2d(8, 16, 3, 1, 1)::forward, 16, 8, 14, 14);
        assertRepeatable("layer_norm", new LayerNorm(300)::forward, 256, 300);
    }

    @Test
    void softmaxCrossEntropyAndReductions() {
        long[] classes = new long[256];
        for (int i = 0; i < classes.length; i++) classes[i] = (i * 37L) % 100;
        Tensor labels = Tensor.of(classes, classes.length);
        assertRepeatable("cross_entropy", x -> F.crossEntropy(x, labels), 256, 100);
        assertRepeatable("log_softmax", x -> F.logSoftmax(x, 1), 256, 300);
        assertRepeatable("silu", F::silu, 256, 300);
        assertRepeatable("tanh", F::tanh, 256, 300);
        assertRepeatable("sum", x -> x.sum(1, false), 64, 4096);
        assertRepeatable("matvec", x -> x.matmul(Tensor.ones(4096, 1)), 64, 4096);
    }
}

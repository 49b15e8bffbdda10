package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.MemoryScope;
import dev.myelin.Myelin;
import dev.myelin.Tensor;
import dev.myelin.autograd.GradMode;
import dev.myelin.backend.Backends;
import dev.myelin.cuda.kernels.KernelTarget;
import dev.myelin.cuda.runtime.MemoryStats;
import dev.myelin.nn.BatchNorm1d;
import dev.myelin.nn.BatchNorm2d;
import dev.myelin.nn.Conv2d;
import dev.myelin.nn.Dropout;
import dev.myelin.nn.Flatten;
import dev.myelin.nn.Linear;
import dev.myelin.nn.MaxPool2d;
import dev.myelin.nn.Module;
import dev.myelin.nn.ReLU;
import dev.myelin.nn.Sequential;
import dev.myelin.nn.SiLU;
import dev.myelin.nn.loss.CrossEntropyLoss;
import dev.myelin.ops.Creation;
import dev.myelin.optim.Adam;
import dev.myelin.optim.Optimizer;
import dev.myelin.optim.SGD;
import dev.myelin.random.Generator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole CUDA backend through training steps without a GPU: the same model, data and seed
 * trained on the CPU backend and on {@link EmulatedCudaProvider}'s backend (the real CudaBackend
 * on host memory, stand-in cuBLAS/cuDNN, Myelin's kernels on the host emulator) must give the same
 * losses, parameters and eval-mode outputs. This drives the backend as the training stack does
 * (autograd, memory scopes, scratch tensors, fused optimizers, dropout masks, the caching
 * allocator), which the per-family parity tests do not.
 */
@Tag(KernelTarget.HOST_EMULATOR_TAG)
class EmulatedCudaBackendTest {
    private static final double TOLERANCE = 1e-4;

    @AfterEach
    void backToTheCpu() {
        Myelin.useBackend("cpu");
    }

    private record Run(List<Double> losses, Map<String, double[]> state, double[] evalOutput) {}

    @Test
    void mlpWithBatchNormAndDropoutTrainsAsOnTheCpu() {
        // Linear + SiLU runs as the fused bias + activation kernel.
        Supplier<Module> mlp = () -> new Sequential(new Linear(12, 32), new BatchNorm1d(32), new ReLU(),
                new Dropout(0.2), new Linear(32, 16), new SiLU(), new Linear(16, 3));
        Function<List<Tensor>, Optimizer> sgd = p -> SGD.with().lr(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4)
                .build(p);
        compare("mlp", mlp, sgd, new int[] {16, 12}, 8);
    }

    @Test
    void cnnWithConvBatchNormAndPoolingTrainsAsOnTheCpu() {
        // No conv bias before batch norm: its gradient is zero up to rounding, which Adam would scale up to full steps.
        Supplier<Module> cnn = () -> new Sequential(
                new Conv2d(1, 4, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1},
                new int[] {1, 1}, 1, false, DType.FLOAT32), new BatchNorm2d(4), new ReLU(),
                new MaxPool2d(2), new Flatten(), new Linear(4 * 4 * 4, 3));
        Function<List<Tensor>, Optimizer> adam = p -> Adam.with().lr(1e-2).build(p);
        compare("cnn", cnn, adam, new int[] {8, 1, 8, 8}, 6);
    }

    @Test
    void stateDictsLoadAcrossDevices() {
        EmulatedCudaProvider.assumeAvailable();
        Supplier<Module> model = () -> new Sequential(new Linear(4, 3), new BatchNorm1d(3));
        Myelin.useBackend("cpu");
        Myelin.manualSeed(5);
        Module onCpu = model.get(), backOnCpu = model.get();
        Myelin.useBackend(EmulatedCudaProvider.NAME);
        Module onDevice = model.get();
        onDevice.loadStateDict(onCpu.stateDict());
        backOnCpu.loadStateDict(onDevice.stateDict());
        for (String key : onCpu.stateDict().keySet()) {
            double[] expected = Creation.toHost(onCpu.stateDict().get(key)).toDoubles();
            assertArrayEquals(expected, Creation.toHost(onDevice.stateDict().get(key)).toDoubles(),
                    key + " on the device");
            assertArrayEquals(expected, Creation.toHost(backOnCpu.stateDict().get(key)).toDoubles(),
                    key + " back on the cpu");
        }
        assertEquals(EmulatedCudaProvider.NAME, onDevice.parameters().get(0).device().type());
    }

    @Test
    void dropoutFromItsOwnGeneratorDrawsTheCpusMasks() {
        EmulatedCudaProvider.assumeAvailable();
        double[][] masks = new double[2][];
        for (int run = 0; run < 2; run++) {
            Myelin.useBackend(run == 0 ? "cpu" : EmulatedCudaProvider.NAME);
            Myelin.manualSeed(run); // the default generator differs between the runs; the layer's does not
            Dropout dropout = new Dropout(0.5, new Generator(9));
            Tensor x = Tensor.ones(DType.FLOAT32, 8, 33);
            dropout.forward(x);
            masks[run] = Creation.toHost(dropout.forward(x)).toDoubles();
        }
        assertArrayEquals(masks[0], masks[1], "the second mask from Generator(9), cpu and emulated cuda");
    }

    @Test
    void deviceMemoryStaysFlatAcrossSteps() {
        EmulatedCudaProvider.assumeAvailable();
        CudaBackend backend = (CudaBackend) Myelin.useBackend(EmulatedCudaProvider.NAME);
        Myelin.manualSeed(3);
        Module net = new Sequential(new Linear(12, 32), new BatchNorm1d(32), new ReLU(), new Dropout(0.2),
                new Linear(32, 3));
        Optimizer opt = Adam.with().lr(1e-3).build(net.parameters());
        Tensor[] data = data(new int[] {16, 12}, 3);
        MemoryStats afterWarmUp = null;
        for (int step = 1; step <= 30; step++) {
            step(net, opt, data);
            if (step == 10) afterWarmUp = CudaMemory.stats(backend);
        }
        MemoryStats end = CudaMemory.stats(backend);
        // The backend is shared with the other tests, whose leftovers the cleaner may free meanwhile: memory
        // may shrink, but a step must not take new memory from the device once warm.
        assertTrue(end.bytesInUse() <= afterWarmUp.bytesInUse(),
                "bytes in use grew from " + afterWarmUp.bytesInUse() + " at step 10 to " + end.bytesInUse()
                + " at step 30");
        assertEquals(afterWarmUp.allocCalls(), end.allocCalls(), "device allocations after warm-up");
        net.close();
        opt.close();
        var notCuda = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CudaMemory.stats(Backends.get("cpu")));
        assertEquals("CudaMemory.stats: backend cpu is not a CUDA backend", notCuda.getMessage());
    }

    private void compare(String what, Supplier<Module> model, Function<List<Tensor>, Optimizer> optimizer, int[] xShape,
                         int steps) {
        EmulatedCudaProvider.assumeAvailable();
        Run cpu = train("cpu", model, optimizer, xShape, steps);
        Run emulated = train(EmulatedCudaProvider.NAME, model, optimizer, xShape, steps);
        for (int s = 0; s < steps; s++) {
            double e = cpu.losses().get(s), a = emulated.losses().get(s);
            assertTrue(Math.abs(e - a) <= TOLERANCE * Math.max(1, Math.abs(e)),
                    what + " step " + (s + 1) + ": loss " + a + " on cuda-emulated, " + e + " on the cpu");
        }
        assertEquals(cpu.state().keySet(), emulated.state().keySet());
        for (String key : cpu.state().keySet()) {
            assertClose(what + " " + key + " after " + steps + " steps", cpu.state().get(key),
                    emulated.state().get(key));
        }
        assertClose(what + " eval-mode output", cpu.evalOutput(), emulated.evalOutput());
    }

    private static Run train(String backend, Supplier<Module> model, Function<List<Tensor>, Optimizer> optimizer,
                             int[] xShape, int steps) {
        Myelin.useBackend(backend);
        Myelin.manualSeed(0);
        Module net = model.get();
        assertEquals(backend, net.parameters().get(0).device().type(), "where the model was built");
        Optimizer opt = optimizer.apply(net.parameters());
        Tensor[] data = data(xShape, 3);
        List<Double> losses = new ArrayList<>();
        for (int s = 0; s < steps; s++) losses.add(step(net, opt, data));
        Map<String, double[]> state = new LinkedHashMap<>();
        net.stateDict().forEach((k, v) -> state.put(k, Creation.toHost(v).toDoubles()));
        double[] out;
        net.eval();
        try (var scope = MemoryScope.open(); var noGrad = GradMode.noGrad()) {
            out = Creation.toHost(net.forward(data[0])).toDoubles();
        }
        net.close();
        opt.close();
        return new Run(losses, state, out);
    }

    /** Random inputs of the given shape and class labels in [0, classes), on the default backend. */
    private static Tensor[] data(int[] xShape, int classes) {
        Tensor x = Tensor.randn(xShape);
        Random r = new Random(42);
        long[] labels = new long[xShape[0]];
        for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(classes);
        return new Tensor[] {x, Tensor.of(labels, labels.length)};
    }

    private static double step(Module net, Optimizer opt, Tensor[] data) {
        try (var scope = MemoryScope.open()) {
            opt.zeroGrad();
            Tensor loss = new CrossEntropyLoss().forward(net.forward(data[0]), data[1]);
            loss.backward();
            opt.step();
            return loss.item();
        }
    }

    private static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": lengths");
        double scale = Double.MIN_NORMAL;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]) / scale;
            assertTrue(err <= TOLERANCE, what + ": element " + i + " is " + actual[i] + " on cuda-emulated, "
                    + expected[i] + " on the cpu (relative error " + err + ")");
        }
    }
}

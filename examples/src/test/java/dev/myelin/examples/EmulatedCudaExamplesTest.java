package dev.myelin.examples;

import dev.myelin.Myelin;
import dev.myelin.cuda.EmulatedCudaProvider;
import dev.myelin.cuda.kernels.KernelTarget;
import dev.myelin.io.SafeTensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Fashion-MNIST examples through the CUDA backend without a GPU: backend "cuda-emulated"
 * (from myelin-cuda's tests: the real CudaBackend on host memory, stand-in cuBLAS and cuDNN,
 * Myelin's kernels on the host emulator) against the same run on the CPU backend, on a few
 * images. The trainer, data loader, metrics, curves and checkpoints run on a CUDA backend, and
 * the losses and accuracies agree with the CPU's.
 */
@Tag(KernelTarget.HOST_EMULATOR_TAG)
class EmulatedCudaExamplesTest {
    private static final String EMULATED = EmulatedCudaProvider.NAME;
    /** Loss and accuracy columns of the curves CSV (epoch,train_loss,train_acc,val_loss,val_acc,...). */
    private static final int[] COMPARED = {1, 2, 3, 4};

    @TempDir
    Path cpuOut;
    @TempDir
    Path cudaOut;

    @AfterEach
    void backToTheCpu() {
        Myelin.useBackend("cpu");
    }

    @Test
    void mlpTrainsAsOnTheCpu() throws IOException {
        compare(FashionMlp::main, "fashion-mlp", "--epochs", "2", "--limit", "256", "--batch-size", "64");
    }

    @Test
    void cnnTrainsAsOnTheCpu() throws IOException {
        compare(FashionCnn::main, "fashion-cnn", "--epochs", "1", "--limit", "128", "--batch-size", "32");
    }

    @Test
    void memoryCheckReportsTheDevicesAllocator() {
        EmulatedCudaProvider.assumeAvailable();
        Myelin.useBackend(EMULATED);
        var printed = new java.io.ByteArrayOutputStream();
        var stdout = System.out;
        System.setOut(new java.io.PrintStream(printed, true));
        try {
            MemoryCheck.main(new String[] {"--steps", "3", "--limit", "32", "--batch-size", "16"});
        } finally {
            System.setOut(stdout);
        }
        List<String> reports = printed.toString().lines().filter(l -> l.startsWith("step")).toList();
        assertEquals(1, reports.size(), printed.toString());
        assertTrue(reports.getFirst().matches("step +3 .* device in use +[1-9][0-9.]* MiB .* driver allocs [1-9].*"),
                reports.getFirst());
    }

    private void compare(Consumer<String[]> example, String run, String... args) throws IOException {
        EmulatedCudaProvider.assumeAvailable();
        Myelin.useBackend("cpu");
        example.accept(withOut(args, cpuOut));
        Myelin.useBackend(EMULATED);
        example.accept(withOut(args, cudaOut));

        List<String> cpu = Files.readAllLines(cpuOut.resolve(run + ".csv"));
        List<String> cuda = Files.readAllLines(cudaOut.resolve(run + ".csv"));
        assertEquals(cpu.size(), cuda.size(), "epochs written");
        for (int row = 1; row < cpu.size(); row++) {
            String[] e = cpu.get(row).split(","), g = cuda.get(row).split(",");
            for (int col : COMPARED) {
                double expected = Double.parseDouble(e[col]), got = Double.parseDouble(g[col]);
                assertTrue(Math.abs(expected - got) <= 1e-3 * Math.max(1, Math.abs(expected)),
                        run + " epoch " + row + " " + cpu.getFirst().split(",")[col] + ": " + got + " on "
                        + EMULATED + ", " + expected + " on the cpu");
            }
        }
        Myelin.useBackend("cpu");
        var cpuCheckpoint = SafeTensors.read(cpuOut.resolve(run + ".safetensors"));
        var cudaCheckpoint = SafeTensors.read(cudaOut.resolve(run + ".safetensors"));
        assertEquals(cpuCheckpoint.tensors().keySet(), cudaCheckpoint.tensors().keySet(), "checkpoint tensors");
        assertEquals(cpuCheckpoint.metadata().get("rng.offset"), cudaCheckpoint.metadata().get("rng.offset"),
                "random draws (weights, dropout masks) used on each backend");
        assertTrue(Files.size(cudaOut.resolve(run + ".png")) > 1000, "curves chart");
    }

    private static String[] withOut(String[] args, Path out) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 3);
        all[args.length] = "--no-progress";
        all[args.length + 1] = "--out";
        all[args.length + 2] = out.toString();
        return all;
    }
}

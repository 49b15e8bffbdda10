package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.ops.Creation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel emulator itself, on the kernels of {@code emulator_selftest.cpp}: threads of a block
 * meet at barriers and exchange values through shuffles and shared memory; writes outside a
 * storage, divergent barriers and shuffles with exited lanes are reported by kernel name.
 */
@Tag(KernelTarget.HOST_EMULATOR_TAG)
@ExtendWith(KernelTarget.OnHostEmulator.class)
class HostEmulatorTest {
    private final EmulatedRunner runner = new EmulatedRunner();

    private static Tensor tensor(DType dtype, double... values) {
        return Creation.fromDoubles(GpuParity.cpu(), dtype, values, values.length);
    }

    private static double[] values(Tensor t) {
        return Creation.toHost(t).toDoubles();
    }

    @Test
    void blocksReduceThroughShufflesSharedMemoryAndBarriers() {
        for (int threads : new int[] {32, 256, 1024, 100}) {
            double[] x = new double[threads];
            double expected = 0;
            for (int i = 0; i < threads; i++) expected += x[i] = i * 0.5 - 7;
            Tensor in = tensor(DType.FLOAT64, x), out = tensor(DType.FLOAT64, Double.NaN, Double.NaN, Double.NaN);
            if (threads % 32 != 0) {
                // The last warp is partial: its missing lanes do not exist, and a full-warp shuffle reads them.
                var e = assertThrows(IllegalStateException.class,
                        () -> launch("emu_selftest_block_sum", "p p", 3, threads, KernelCall.of().ptr(in).ptr(out)));
                assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
                continue;
            }
            launch("emu_selftest_block_sum", "p p", 3, threads, KernelCall.of().ptr(in).ptr(out));
            assertArrayEquals(new double[] {expected, expected, expected}, values(out), threads + " threads");
        }
    }

    @Test
    void aWriteOutsideItsStorageFailsTheLaunch() {
        Tensor t = tensor(DType.FLOAT32, 0, 0, 0, 0);
        launch("emu_selftest_write_at", "p l", 1, 32, KernelCall.of().ptr(t).i64(3));
        assertArrayEquals(new double[] {0, 0, 0, 1}, values(t));
        var past = assertThrows(IllegalStateException.class,
                () -> launch("emu_selftest_write_at", "p l", 1, 32, KernelCall.of().ptr(t).i64(4)));
        assertEquals("emulated cuda kernel emu_selftest_write_at wrote past the FLOAT32 storage of 4 elements it was "
                + "given", past.getMessage());
        var before = assertThrows(IllegalStateException.class,
                () -> launch("emu_selftest_write_at", "p l", 1, 32, KernelCall.of().ptr(t).i64(-1)));
        assertTrue(before.getMessage().contains("wrote before"), before.getMessage());
    }

    @Test
    void aReadOutsideItsStorageGetsNaN() {
        Tensor p = tensor(DType.FLOAT32, 1, 2, 3, 4), out = tensor(DType.FLOAT32, 0);
        launch("emu_selftest_read_at", "p p l", 1, 32, KernelCall.of().ptr(out).ptr(p).i64(3));
        assertArrayEquals(new double[] {4}, values(out));
        launch("emu_selftest_read_at", "p p l", 1, 32, KernelCall.of().ptr(out).ptr(p).i64(4));
        assertTrue(Double.isNaN(values(out)[0]), "read past the end: " + values(out)[0]);
    }

    @Test
    void aMissingBarrierGivesAWrongResultInOneOfTwoLaunches() {
        // Launches alternate the order their threads run in, so one of these two reads before the write.
        Tensor first = tensor(DType.FLOAT32, 0), second = tensor(DType.FLOAT32, 0);
        launch("emu_selftest_missing_barrier", "p f", 1, 32, KernelCall.of().ptr(first).f32(7));
        launch("emu_selftest_missing_barrier", "p f", 1, 32, KernelCall.of().ptr(second).f32(9));
        double a = values(first)[0], b = values(second)[0];
        assertTrue(a != 7 || b != 9, "both launches read the value written without a barrier: " + a + ", " + b);
        assertTrue(a == 7 || b == 9, "neither launch ran the writer first: " + a + ", " + b);
    }

    @Test
    void aShuffleInDivergentCodeIsReportedAsADeadlock() {
        Tensor t = tensor(DType.FLOAT32, new double[64]);
        var e = assertThrows(IllegalStateException.class,
                () -> launch("emu_selftest_divergent_shuffle", "p", 1, 64, KernelCall.of().ptr(t)));
        assertTrue(e.getMessage()
                .startsWith("emulated cuda kernel emu_selftest_divergent_shuffle: deadlock in block (0,0,0)"),
                e.getMessage());
    }

    @Test
    void aShuffleReadingAnExitedLaneIsReported() {
        Tensor t = tensor(DType.FLOAT32, new double[32]);
        var e = assertThrows(IllegalStateException.class,
                () -> launch("emu_selftest_shuffle_exited_lane", "p", 1, 32, KernelCall.of().ptr(t)));
        assertTrue(e.getMessage().matches(".*thread \\(\\d+,0,0\\) reads lane (1[6-9]|2\\d|3[01]), which has exited.*"),
                e.getMessage());
    }

    @Test
    void unknownKernelsAndBadConfigurationsAreRefused() {
        Tensor t = tensor(DType.FLOAT32, 0);
        var unknown = assertThrows(IllegalStateException.class,
                () -> launch("emu_selftest_missing", "p", 1, 32, KernelCall.of().ptr(t)));
        assertTrue(unknown.getMessage().contains("no kernel named 'emu_selftest_missing'"), unknown.getMessage());
        var tooMany = assertThrows(IllegalStateException.class,
                () -> launch("emu_selftest_write_at", "p l", 1, 2048, KernelCall.of().ptr(t).i64(0)));
        assertTrue(tooMany.getMessage().contains("invalid launch configuration"), tooMany.getMessage());
    }

    private void launch(String name, String params, int blocks, int threads, KernelCall call) {
        runner.launch(KernelSpec.of("emulator_selftest", name, params), null, Dim3.of(blocks), Dim3.of(threads), call);
    }
}

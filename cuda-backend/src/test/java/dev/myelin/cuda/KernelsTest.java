package dev.myelin.cuda;

import dev.myelin.DType;
import dev.myelin.backend.Storage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launch API, with the test module {@code myelin_test_probe} (src/test/resources/dev/myelin/cuda/ptx). */
@GpuTest
class KernelsTest {
    @Test
    void argumentsOfEveryTypeReachTheKernel() {
        CudaBackend b = GpuRequired.backend();
        int n = 1000;
        float[] x = new float[n + 3];
        for (int i = 0; i < x.length; i++) x[i] = i - 500;
        Storage in = b.allocate(DType.FLOAT32, x.length), out = b.allocate(DType.FLOAT32, n);
        in.write(0, x, 0, x.length);
        Kernels.launch("myelin_test_probe", "probe_f32", Dim3.blocksFor(n, 128), Dim3.of(128), 0,
                KernelArgs.of().ptr(out, 0).ptr(in, 3).i64(n).f32(2.5f).f64(0.25).i32(-3));
        float[] got = new float[n], want = new float[n];
        out.read(0, got, 0, n);
        for (int i = 0; i < n; i++) want[i] = x[i + 3] * 2.5f + 0.25f - 3f;
        assertArrayEquals(want, got);
        in.release();
        out.release();
    }

    @Test
    void aMissingModuleOrKernelIsNamed() {
        var noModule = assertThrows(IllegalArgumentException.class, () -> Kernels.launch("myelin_no_such_module", "f",
                Dim3.of(1), Dim3.of(1), 0, KernelArgs.of()));
        assertTrue(noModule.getMessage().contains("dev/myelin/cuda/ptx/myelin_no_such_module.ptx"), noModule.getMessage());
        var noKernel = assertThrows(IllegalArgumentException.class, () -> Kernels.launch("myelin_test_probe", "nope",
                Dim3.of(1), Dim3.of(1), 0, KernelArgs.of()));
        assertTrue(noKernel.getMessage().contains("'nope'"), noKernel.getMessage());
    }
}

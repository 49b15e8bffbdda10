package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.cuda.CudaBackend;
import dev.myelin.cuda.GpuRequired;
import dev.myelin.cuda.GpuTest;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher, with the test module {@code myelin_test_probe} (src/test/resources/dev/myelin/cuda/ptx). */
@GpuTest
class CudaKernelRunnerTest {
    private static final KernelSpec PROBE = new KernelSpec("myelin_test_probe", "probe_f32", Set.of(), "p p l f d i");

    @Test
    void argumentsOfEveryTypeReachTheKernel() {
        CudaBackend b = GpuRequired.backend();
        int n = 1000;
        float[] x = new float[n + 3];
        for (int i = 0; i < x.length; i++) x[i] = i - 500;
        Tensor in = Tensor.empty(b, DType.FLOAT32, x.length), out = Tensor.empty(b, DType.FLOAT32, n);
        in.storage().write(0, x, 0, x.length);
        Tensor shifted = in.viewOf(3, new int[] {n}, new long[] {1});
        CudaKernelRunner.INSTANCE.launch(PROBE, null, Dim3.blocksFor(n, 128), Dim3.of(128),
                KernelCall.of().ptr(out).ptr(shifted).i64(n).f32(2.5f).f64(0.25).i32(-3));
        float[] got = new float[n], want = new float[n];
        out.storage().read(0, got, 0, n);
        for (int i = 0; i < n; i++) want[i] = x[i + 3] * 2.5f + 0.25f - 3f;
        assertArrayEquals(want, got);
        in.close();
        out.close();
    }

    @Test
    void aMissingModuleOrKernelIsNamed() {
        KernelSpec noModule = new KernelSpec("myelin_no_such_module", "f", Set.of(), "");
        var e = assertThrows(IllegalArgumentException.class,
                () -> CudaKernelRunner.INSTANCE.launch(noModule, null, Dim3.of(1), Dim3.of(1), KernelCall.of()));
        assertTrue(e.getMessage().contains("dev/myelin/cuda/ptx/myelin_no_such_module.ptx"), e.getMessage());
        KernelSpec noKernel = new KernelSpec("myelin_test_probe", "nope", Set.of(), "");
        e = assertThrows(IllegalArgumentException.class,
                () -> CudaKernelRunner.INSTANCE.launch(noKernel, null, Dim3.of(1), Dim3.of(1), KernelCall.of()));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }
}

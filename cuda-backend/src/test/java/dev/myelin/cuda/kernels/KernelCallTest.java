package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Backends;
import dev.myelin.backend.Elementwise;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A launch's arguments and geometry, checked without a device. */
class KernelCallTest {
    @Test
    void argumentsAreKeptInOrderWithTheirTypes() {
        KernelCall c = KernelCall.of().i32(-3).i64(1L << 40).f32(2.5f).f64(0.25).ptrOrNull(null).flag(true);
        assertEquals(List.of(new KernelCall.I32(-3), new KernelCall.I64(1L << 40), new KernelCall.F32(2.5f),
                new KernelCall.F64(0.25), new KernelCall.NullPointer(), new KernelCall.I32(1)), c.args());
    }

    @Test
    void aCallIsCheckedAgainstItsSpec() {
        KernelSpec spec = new KernelSpec("probe", "probe_{t}", KernelDtypes.FLOATING, "p l T");
        Tensor x = Tensor.empty(Backends.get("cpu"), DType.FLOAT32, 4);
        KernelCall.of().ptr(x).i64(4).f32(1).checkAgainst(new KernelSpec.Variant(spec, DType.FLOAT32));
        var e = assertThrows(IllegalStateException.class,
                () -> KernelCall.of().ptr(x).i64(4).f64(1).checkAgainst(new KernelSpec.Variant(spec, DType.FLOAT32)));
        assertTrue(e.getMessage().contains("probe_f32: launched with parameters 'pld'"), e.getMessage());
    }

    @Test
    void theReadmeExampleMatchesItsSpec() {
        Tensor a = Tensor.empty(Backends.get("cpu"), DType.FLOAT32, 8), b = a, out = a;
        int n = 8;
        KernelCall.of().i32(Elementwise.Binary.ADD.ordinal()).ptr(a).i64(1).ptr(b).i64(1).ptr(out).i64(n)
                .ptrOrNull(null).checkAgainst(new KernelSpec.Variant(KernelCatalog.BINARY, DType.FLOAT32));
    }

    @Test
    void aNonCudaStorageIsRejectedWithItsPosition() {
        Tensor cpu = Tensor.empty(Backends.get("cpu"), DType.FLOAT32, 4);
        var e = assertThrows(IllegalArgumentException.class,
                () -> CudaKernelRunner.kernelParams(KernelCall.of().i32(1).ptr(cpu).args()));
        assertTrue(e.getMessage().contains("argument 1"), e.getMessage());
    }

    @Test
    void gridsCoverTheElements() {
        assertEquals(Dim3.of(4), Dim3.blocksFor(1000, 256));
        assertEquals(Dim3.of(1), Dim3.blocksFor(0, 256));
        assertThrows(IllegalArgumentException.class, () -> Dim3.of(0));
        assertThrows(IllegalArgumentException.class, () -> Dim3.blocksFor(1L << 45, 256));
        assertEquals(Dim3.of(Launch.MAX_BLOCKS), Launch.threads(1L << 40), "grids are capped; kernels loop");
    }
}

package dev.myelin.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder's bookkeeping and checks; no device needed. */
class KernelArgsTest {
    @Test
    void argumentsAreKeptInOrderWithTheirTypes() {
        KernelArgs a = KernelArgs.of().address(0x100).i32(-3).i64(1L << 40).f32(2.5f).f64(0.25).nullPtr();
        assertEquals(6, a.count());
        assertEquals("(ptr 0x100, i32 -3, i64 1099511627776, f32 2.5, f64 0.25, null 0x0)", a.toString());
    }

    @Test
    void aNonCudaStorageIsRejectedWithItsPosition() {
        var e = assertThrows(IllegalArgumentException.class, () -> KernelArgs.of().i32(1).ptr(null, 0));
        assertTrue(e.getMessage().contains("argument 1"), e.getMessage());
    }

    @Test
    void gridsCoverTheElements() {
        assertEquals(Dim3.of(4), Dim3.blocksFor(1000, 256));
        assertEquals(Dim3.of(1), Dim3.blocksFor(0, 256));
        assertThrows(IllegalArgumentException.class, () -> Dim3.of(0));
        assertThrows(IllegalArgumentException.class, () -> Dim3.blocksFor(1L << 45, 256));
    }
}

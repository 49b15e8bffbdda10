package dev.myelin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ShapeTest {
    @Test
    void broadcastFollowsNumpyRules() {
        assertArrayEquals(new int[] {4, 2, 3}, Shape.broadcast("add", new int[] {4, 1, 3}, new int[] {2, 1}));
        assertArrayEquals(new int[] {5}, Shape.broadcast("add", new int[] {}, new int[] {5}));
    }

    @Test
    void incompatibleShapesNameTheOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcast("mul", new int[] {2, 3}, new int[] {4}));
        assertTrue(e.getMessage().startsWith("mul: shapes [2, 3] and [4]"), e.getMessage());
    }

    @Test
    void contiguousStridesAreRowMajor() {
        assertArrayEquals(new long[] {12, 4, 1}, Shape.contiguousStrides(new int[] {2, 3, 4}));
        assertEquals(24, Shape.numel(new int[] {2, 3, 4}));
        assertEquals(1, Shape.numel(new int[] {}));
    }

    @Test
    void negativeDimsCountFromTheEnd() {
        assertEquals(2, Shape.dim("sum", -1, 3));
        assertThrows(IllegalArgumentException.class, () -> Shape.dim("sum", 3, 3));
    }

    @Test
    void devicesParseLikePyTorch() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.cuda(1), Device.parse("cuda:1"));
        assertThrows(IllegalArgumentException.class, () -> Device.parse("cuda:x"));
        // An index is kept, and printed: cpu:1 is not the cpu.
        assertEquals(new Device("cpu", 1), Device.parse(" CPU:1 "));
        assertEquals("cpu:1", Device.parse("cpu:1").toString());
        assertEquals("cpu", Device.CPU.toString());
        // A type alone means the backend's current device (PyTorch's index None), except the cpu, which has one.
        assertEquals(new Device("cuda", Device.NO_INDEX), Device.parse("cuda"));
        assertEquals("cuda", Device.parse("cuda").toString());
        assertEquals("cuda:0", Device.parse("cuda:0").toString());
    }

    @Test
    void dtypePromotion() {
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT32, DType.FLOAT64));
        assertEquals(DType.FLOAT32, DType.promote(DType.INT64, DType.FLOAT32));
        assertEquals(DType.INT64, DType.promote(DType.INT32, DType.INT64));
    }
}

package dev.myelin.backend;

import dev.myelin.Device;
import dev.myelin.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A device index the CPU backend does not have is an error, not silently the CPU. */
class DeviceIndexTest {
    @Test
    void cpuOneDoesNotExist() {
        Tensor t = Tensor.of(new float[] {1, 2}, 2);
        assertSame(t, t.to(Device.parse("cpu:0")));
        assertArrayEquals(new float[] {1, 2}, t.to(Device.parse("cpu")).toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> t.to(Device.parse("cpu:1")));
        assertTrue(e.getMessage().contains("cpu:1") && e.getMessage().contains("1 device"), e.getMessage());
    }
}

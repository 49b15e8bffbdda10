package dev.myelin.cuda.runtime;

import dev.myelin.cuda.EmulatedDriverSession;
import dev.myelin.cuda.GpuRequired;
import dev.myelin.cuda.GpuTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device as the driver describes it (on the stand-in driver: the emulator, by name). */
@GpuTest
class CudaDeviceTest {
    @Test
    void theDeviceDescribesItself() {
        CudaDevice device = GpuRequired.backend().cudaDevice();
        assertFalse(device.name().isBlank());
        assertTrue(device.totalMemory() > 0, "total memory " + device.totalMemory());
        assertTrue(device.computeCapability() >= 50, "compute capability " + device.computeCapability());
        if (Boolean.getBoolean(EmulatedDriverSession.PROPERTY)) {
            assertEquals("Myelin host emulator (fake driver)", device.name());
        }
    }
}

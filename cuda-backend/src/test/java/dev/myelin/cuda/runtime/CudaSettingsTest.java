package dev.myelin.cuda.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaSettingsTest {
    @Test
    void tf32IsOffByDefaultAndCanBeSwitched() {
        assertFalse(Boolean.getBoolean(CudaSettings.TF32), "this test needs a run without -Dmyelin.cuda.tf32");
        assertFalse(CudaSettings.tf32());
        try {
            CudaSettings.setTf32(true);
            assertTrue(CudaSettings.tf32());
        } finally {
            CudaSettings.setTf32(false);
        }
        assertFalse(CudaSettings.tf32());
    }

    @Test
    void deviceIndexDefaultsToZeroAndRejectsNonsense() {
        String old = System.getProperty(CudaSettings.DEVICE);
        try {
            System.clearProperty(CudaSettings.DEVICE);
            assertEquals(0, CudaSettings.deviceIndex());
            System.setProperty(CudaSettings.DEVICE, "1");
            assertEquals(1, CudaSettings.deviceIndex());
            System.setProperty(CudaSettings.DEVICE, "gpu0");
            var e = assertThrows(IllegalArgumentException.class, CudaSettings::deviceIndex);
            assertTrue(e.getMessage().contains("gpu0"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty(CudaSettings.DEVICE);
            else System.setProperty(CudaSettings.DEVICE, old);
        }
    }
}

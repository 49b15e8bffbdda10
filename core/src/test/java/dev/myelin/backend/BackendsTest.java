package dev.myelin.backend;

import dev.myelin.Device;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BackendsTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(Backends.PROPERTY);
    }

    @Test
    void providersAreFoundThroughServiceLoaderHighestPriorityFirst() {
        var names = Backends.providers().stream().map(BackendProvider::name).toList();
        assertEquals(java.util.List.of("gpu-test", "broken-test", "host-test"), names);
    }

    @Test
    void autoSkipsUnavailableBackendsAndTakesTheNextOne() {
        assertEquals("host-test", Backends.setDefault("auto").name());
        assertEquals("host-test", Backends.getDefault().name());
    }

    @Test
    void forcingAnUnavailableBackendFailsWithItsReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get("gpu-test"));
        assertTrue(e.getMessage().contains("libgpu-test.so.1 not found in /nowhere"), e.getMessage());
        assertTrue(e.getMessage().contains("'gpu-test'"), e.getMessage());
    }

    @Test
    void autoSkipsABackendThatFailsToStartAndDoesNotRetryIt() {
        assertEquals("host-test", Backends.setDefault("auto").name());
        int attempts = TestProviders.FailsToStart.attempts;
        assertTrue(attempts >= 1, "auto never tried the backend that fails to start");
        assertEquals("host-test", Backends.setDefault("auto").name());
        assertEquals(attempts, TestProviders.FailsToStart.attempts, "tried again after failing once");
    }

    @Test
    void forcingABackendThatFailsToStartThrowsItsFailure() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.get("broken-test"));
        assertEquals("broken-test: handle creation returned NOT_INITIALIZED", e.getMessage());
    }

    @Test
    void unknownNamesListTheAvailableOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.get("tpu"));
        assertTrue(e.getMessage().contains("host-test") && e.getMessage().contains("gpu-test"), e.getMessage());
    }

    @Test
    void systemPropertyTakesPrecedenceOverTheEnvironment() {
        System.setProperty(Backends.PROPERTY, " Host-Test ");
        assertEquals("host-test", Backends.requested());
    }

    @Test
    void aDeviceIndexTheBackendDoesNotHaveIsAnErrorNamingTheDevicesThereAre() {
        // The test backend runs on host-test:2; its type alone means that device.
        assertEquals("host-test", Backends.forDevice(new Device("host-test", 2)).name());
        assertEquals("host-test", Backends.forDevice(Device.parse("host-test")).name());
        for (String missing : new String[] {"host-test:0", "host-test:3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Backends.forDevice(Device.parse(missing)));
            assertTrue(e.getMessage().contains("device " + missing + " does not exist"), e.getMessage());
            assertTrue(e.getMessage().contains("1 device") && e.getMessage().contains("host-test:2"), e.getMessage());
        }
    }

    @Test
    void namesAreCaseInsensitive() {
        assertEquals("host-test", Backends.get("HOST-TEST").name());
    }
}

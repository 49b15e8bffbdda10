package dev.myelin.cuda.runtime;

import dev.myelin.backend.Availability;
import dev.myelin.backend.BackendProvider;
import dev.myelin.backend.Backends;
import dev.myelin.cuda.CudaBackendProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Availability and registration; these run on every machine. */
class CudaAvailabilityTest {
    @TempDir Path tmp;

    @Test
    void aMissingDriverLibraryIsNamedInTheReason() {
        DriverProbe.Result r = DriverProbe.probe("libcuda-myelin-test-absent.so.1");
        assertFalse(r.usable());
        Availability a = CudaAvailability.check(r, () -> {
            throw new AssertionError("libraries must not be looked for without a driver");
        });
        assertFalse(a.available());
        assertTrue(a.reason().contains("no CUDA driver") && a.reason().contains("libcuda-myelin-test-absent.so.1"),
                a.reason());
    }

    @Test
    void noDeviceIsReportedAsSuch() {
        Availability a = CudaAvailability.check(new DriverProbe.Result("the CUDA driver sees no device", 0, 13000),
                () -> {
                    throw new AssertionError("libraries must not be looked for without a device");
                });
        assertFalse(a.available());
        assertTrue(a.reason().contains("no device"), a.reason());
    }

    @Test
    void missingCublasIsReportedWithThePlacesLooked() {
        LibraryLocator empty = new LibraryLocator(LibraryLocator.places(tmp.toString(), null, null), n -> false);
        Availability a = CudaAvailability.check(new DriverProbe.Result(null, 1, 13000), () -> empty);
        assertFalse(a.available());
        assertTrue(a.reason().startsWith("cuBLAS not found"), a.reason());
        assertTrue(a.reason().contains(tmp.toString()), a.reason());
    }

    @Test
    void theRealCheckNeverThrowsAndExplainsItself() {
        Availability a = assertDoesNotThrow(() -> new CudaBackendProvider().availability());
        assertTrue(a.available() || !a.reason().isBlank(), "an unavailable backend must say why");
        if (!a.available() && !DriverProbe.probe().usable()) {
            assertEquals(DriverProbe.probe().reason(), a.reason());
        }
    }

    @Test
    void forcingCudaWhereItCannotLoadSaysWhyAndAutoFallsBackToTheCpu() {
        Availability a = new CudaBackendProvider().availability();
        assumeFalse(a.available(), "CUDA is available here");
        var e = assertThrows(IllegalStateException.class, () -> Backends.get("cuda"));
        assertTrue(e.getMessage().contains("'cuda' was requested but cannot load")
                && e.getMessage().contains(a.reason()), e.getMessage());
        assertEquals("cpu", Backends.get("auto").name());
    }

    @Test
    void providerIsRegisteredAsCudaAboveTheCpu() {
        List<BackendProvider> found = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        BackendProvider cuda = found.stream().filter(p -> p.name().equals("cuda")).findFirst().orElseThrow();
        BackendProvider cpu = found.stream().filter(p -> p.name().equals("cpu")).findFirst().orElseThrow();
        assertTrue(cuda instanceof CudaBackendProvider);
        assertTrue(cuda.priority() > cpu.priority());
    }
}

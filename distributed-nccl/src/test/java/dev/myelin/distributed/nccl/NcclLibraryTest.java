package dev.myelin.distributed.nccl;

import dev.myelin.cuda.runtime.LibraryLocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NcclLibraryTest {
    @Test
    void aMissingLibraryIsUnavailableNamingTheFileAndEveryPlaceLooked(@TempDir Path dir) {
        Path empty = dir.resolve("libs");
        LibraryLocator locator = new LibraryLocator(List.of(new LibraryLocator.Place("-Dmyelin.cuda.libpath",
                List.of(empty)), NcclLibrary.wheelPlace(Map.of("VIRTUAL_ENV", venv(dir).toString()), dir)),
                name -> false);
        var probe = NcclLibrary.probe(locator);
        assertFalse(probe.availability().available());
        String reason = probe.reason();
        assertTrue(reason.contains("NCCL not found") && reason.contains("libnccl.so.2") && reason.contains(
                empty.toString()) && reason.contains("Python wheels") && reason.contains("nvidia/nccl/lib"), reason);
    }

    @Test
    void theWheelFolderOfAVirtualenvIsSearched(@TempDir Path dir) throws Exception {
        Path venv = venv(dir);
        Path lib = venv.resolve("lib/python3.12/site-packages/nvidia/nccl/lib");
        Files.createDirectories(lib);
        Files.writeString(lib.resolve("libnccl.so.2"), "not really a library");
        var place = NcclLibrary.wheelPlace(Map.of("VIRTUAL_ENV", venv.toString()), dir);
        assertTrue(place.dirs().contains(lib), place.toString());
        var found = new LibraryLocator(List.of(place), name -> false).locate("NCCL", List.of(NcclLibrary.FILE));
        assertEquals(lib.resolve("libnccl.so.2").toAbsolutePath(), found.path());
        // a file that is no library is reported as such, not as missing
        var probe = NcclLibrary.probe(new LibraryLocator(List.of(place), name -> false));
        assertTrue(probe.reason().contains("could not be loaded") && probe.reason().contains(lib.toString()),
                probe.reason());
    }

    @Test
    void theStandInOpensAndSaysItsVersion() {
        Path folder = StandInNccl.folder();
        var probe = NcclLibrary.probe(new LibraryLocator(List.of(new LibraryLocator.Place("test", List.of(folder))),
                name -> false));
        assertNotNull(probe.library(), probe.reason());
        assertEquals("2.23.4", probe.library().versionString());
        assertTrue(probe.library().hasAvg());
        assertEquals("invalid usage (run with NCCL_DEBUG=WARN for details)", probe.library().errorString(5));
    }

    private static Path venv(Path dir) throws RuntimeException {
        try {
            return Files.createDirectories(dir.resolve("venv/lib/python3.12/site-packages")).getParent().getParent()
                    .getParent();
        } catch (java.io.IOException e) {
            throw new RuntimeException(e);
        }
    }
}

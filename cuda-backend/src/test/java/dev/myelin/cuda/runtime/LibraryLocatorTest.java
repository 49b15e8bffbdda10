package dev.myelin.cuda.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibraryLocatorTest {
    @TempDir Path tmp;

    private Path dir(String name, String... files) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        for (String f : files) Files.writeString(d.resolve(f), "not really a library");
        return d;
    }

    private static LibraryLocator locator(String libpath, String cudaHome, String ld, List<String> systemHas) {
        return new LibraryLocator(LibraryLocator.places(libpath, cudaHome, ld), systemHas::contains);
    }

    @Test
    void explicitLibpathWinsOverCudaHomeAndLdLibraryPath() throws IOException {
        Path explicit = dir("explicit", "libcublas.so.12");
        Path home = dir("home");
        Files.createDirectories(home.resolve("lib64"));
        Files.writeString(home.resolve("lib64/libcublas.so.13"), "x");
        Path ld = dir("ld", "libcublas.so.13");
        LibraryLocator.Found f = locator(explicit.toString(), home.toString(), ld.toString(), List.of())
                .locate("cuBLAS", List.of("libcublas.so.13", "libcublas.so.12"));
        assertEquals(explicit.resolve("libcublas.so.12").toAbsolutePath(), f.path());
        assertEquals("-Dmyelin.cuda.libpath", f.place());
    }

    @Test
    void cudaHomeLib64ThenLibThenLdLibraryPathThenSystem() throws IOException {
        Path home = dir("home");
        Files.createDirectories(home.resolve("lib64"));
        Files.createDirectories(home.resolve("lib"));
        Files.writeString(home.resolve("lib/libcudnn.so.9"), "x");
        Path ld = dir("ld", "libcudnn.so.9");
        LibraryLocator.Found f = locator(null, home.toString(), ld.toString(), List.of("libcudnn.so.9"))
                .locate("cuDNN 9", List.of("libcudnn.so.9"));
        assertEquals(home.resolve("lib/libcudnn.so.9").toAbsolutePath(), f.path());
        assertEquals("CUDA_HOME", f.place());

        f = locator("", "", ld.toString(), List.of("libcudnn.so.9")).locate("cuDNN 9", List.of("libcudnn.so.9"));
        assertEquals(ld.resolve("libcudnn.so.9").toAbsolutePath(), f.path());
        assertEquals("LD_LIBRARY_PATH", f.place());

        f = locator(null, null, null, List.of("libcudnn.so.9")).locate("cuDNN 9", List.of("libcudnn.so.9"));
        assertTrue(f.bySystemLoader());
        assertNull(f.path());
        assertEquals("libcudnn.so.9", f.name());
    }

    @Test
    void withinOnePlaceTheFirstNameIsPreferred() throws IOException {
        Path d = dir("both", "libcublas.so.12", "libcublas.so.13");
        LibraryLocator.Found f = locator(d.toString(), null, null, List.of())
                .locate("cuBLAS", List.of("libcublas.so.13", "libcublas.so.12"));
        assertEquals("libcublas.so.13", f.name());
    }

    @Test
    void colonSeparatedLibpathIsSearchedInOrderAndBlankEntriesIgnored() throws IOException {
        Path a = dir("a"), b = dir("b", "libcudnn.so.9");
        LibraryLocator.Found f = locator(a + "::" + b, null, null, List.of())
                .locate("cuDNN 9", List.of("libcudnn.so.9"));
        assertEquals(b.resolve("libcudnn.so.9").toAbsolutePath(), f.path());
    }

    @Test
    void systemLoaderIsAskedOnlyAfterEveryDirectory() throws IOException {
        Path ld = dir("ld", "libcublas.so.12");
        List<String> asked = new ArrayList<>();
        LibraryLocator l = new LibraryLocator(LibraryLocator.places(null, null, ld.toString()), n -> {
            asked.add(n);
            return true;
        });
        assertEquals("libcublas.so.12", l.locate("cuBLAS", List.of("libcublas.so.13", "libcublas.so.12")).name());
        assertTrue(asked.isEmpty(), "the system loader was asked before the directories: " + asked);
    }

    @Test
    void missingLibraryMessageNamesTheLibraryEveryFileNameAndEveryPlace() throws IOException {
        Path a = dir("a"), home = dir("cudahome"), ld = dir("ld");
        var e = assertThrows(LibraryLocator.LibraryNotFoundException.class,
                () -> locator(a.toString(), home.toString(), ld.toString(), List.of())
                        .locate("cuBLAS", List.of("libcublas.so.13", "libcublas.so.12")));
        String m = e.getMessage();
        assertTrue(m.startsWith("cuBLAS not found"), m);
        for (String expected : List.of("libcublas.so.13", "libcublas.so.12", "-Dmyelin.cuda.libpath " + a,
                home.resolve("lib64").toString(), home.resolve("lib").toString(), "LD_LIBRARY_PATH " + ld,
                "system library path")) {
            assertTrue(m.contains(expected), "message lacks '" + expected + "': " + m);
        }
    }

    @Test
    void unsetPlacesAreReportedAsNotSet() {
        var e = assertThrows(LibraryLocator.LibraryNotFoundException.class,
                () -> locator(null, null, null, List.of()).locate("cuDNN 9", List.of("libcudnn.so.9")));
        assertTrue(e.getMessage().contains("-Dmyelin.cuda.libpath (not set)"), e.getMessage());
        assertTrue(e.getMessage().contains("CUDA_HOME (not set)"), e.getMessage());
        assertTrue(e.getMessage().contains("LD_LIBRARY_PATH (not set)"), e.getMessage());
    }

    @Test
    void cublasNamesFollowTheDriverVersion() {
        assertEquals(List.of("libcublas.so.13", "libcublas.so.12"), CudaLibraries.cublasNames(13000));
        assertEquals(List.of("libcublas.so.12"), CudaLibraries.cublasNames(12080));
        assertEquals(List.of("libcublasLt.so.13"), CudaLibraries.cublasCompanions("libcublas.so.13"));
    }
}

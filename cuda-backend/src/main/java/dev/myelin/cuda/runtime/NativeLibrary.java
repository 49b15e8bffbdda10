package dev.myelin.cuda.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A shared library opened for {@code java.lang.foreign} downcalls. Libraries found in a directory
 * are opened by absolute path, after the companions they need from the same directory (e.g.
 * libcublasLt before libcublas): the dynamic loader then finds those already loaded by soname,
 * even when the directory is not on its search path. Libraries stay loaded for the process.
 *
 * <p>Internal: not part of the API.
 */
// Native access (dlopen, downcalls, reading C strings) is this class's job; the JVM runs with
// --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
public final class NativeLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(NativeLibrary.class);

    private final String what;
    private final String location;
    private final SymbolLookup lookup;

    private NativeLibrary(String what, String location, SymbolLookup lookup) {
        this.what = what;
        this.location = location;
        this.lookup = lookup;
    }

    /**
     * Opens a located library.
     *
     * @param companions file names loaded first from the library's directory when present there;
     *     one that fails to load is logged and skipped (the library may not need it)
     * @throws IllegalStateException when the library itself cannot be opened, with the loader's reason
     */
    public static NativeLibrary open(String what, LibraryLocator.Found found, List<String> companions) {
        try {
            if (found.bySystemLoader()) {
                return new NativeLibrary(what, found.name(), SymbolLookup.libraryLookup(found.name(), Arena.global()));
            }
            Path dir = found.path().getParent();
            for (String companion : companions) {
                Path p = dir.resolve(companion);
                if (!Files.isRegularFile(p)) continue;
                try {
                    SymbolLookup.libraryLookup(p, Arena.global());
                } catch (IllegalArgumentException e) {
                    LOG.debug("cuda: could not preload {} ({}); continuing without it", p, e.getMessage());
                }
            }
            return new NativeLibrary(what, found.path().toString(),
                    SymbolLookup.libraryLookup(found.path(), Arena.global()));
        } catch (IllegalArgumentException e) {
            String at = found.bySystemLoader() ? found.name() : found.path().toString();
            throw new IllegalStateException(what + ": " + at + " was found but could not be loaded: "
                    + e.getMessage(), e);
        }
    }

    /** A downcall handle for {@code symbol}, or an exception naming the symbol and the library. */
    public MethodHandle function(String symbol, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(symbol).orElseThrow(() -> new IllegalStateException(
                what + ": symbol " + symbol + " not found in " + location + " (an incompatible version?)"));
        return Linker.nativeLinker().downcallHandle(address, descriptor);
    }

    /** The file it was opened from, or the name the system loader resolved. */
    public String location() {
        return location;
    }
}

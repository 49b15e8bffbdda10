package dev.myelin.cuda.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds a shared library (cuBLAS, cuDNN) by trying, in order: the directories of
 * {@code -Dmyelin.cuda.libpath} (colon-separated), {@code $CUDA_HOME/lib64} and {@code /lib}, the
 * directories of {@code LD_LIBRARY_PATH}, and finally the system loader (dlopen by name, which
 * also knows ld.so.cache). Within a place the names are tried in the order given, so
 * {@code libcublas.so.13} is preferred to {@code .so.12} there. When nothing is found the
 * exception names the library, every file name and every place looked at.
 *
 * <p>Internal: not part of the API.
 */
public final class LibraryLocator {
    public static final String LIBPATH_PROPERTY = "myelin.cuda.libpath";

    /** A labelled list of directories; {@code dirs} is empty when the setting is absent. */
    public record Place(String label, List<Path> dirs) {
        String describe() {
            if (dirs.isEmpty()) return label + " (not set)";
            return label + " " + String.join(", ", dirs.stream().map(Path::toString).toList());
        }
    }

    /** Where a library was found: a file in {@code place}, or (path null) by the system loader. */
    public record Found(String name, Path path, String place) {
        public boolean bySystemLoader() {
            return path == null;
        }
    }

    private final List<Place> places;
    private final Predicate<String> systemLoader;

    /** @param systemLoader says whether dlopen of a bare name succeeds */
    public LibraryLocator(List<Place> places, Predicate<String> systemLoader) {
        this.places = List.copyOf(places);
        this.systemLoader = systemLoader;
    }

    /** The places of this process: the property, CUDA_HOME and LD_LIBRARY_PATH, then the system loader. */
    static LibraryLocator fromEnvironment() {
        return fromEnvironment(List.of());
    }

    /**
     * The places of this process, then {@code extra} (e.g. a Python wheel's library folder), then the
     * system loader: for the libraries of other modules (NCCL), found the way cuBLAS is.
     */
    public static LibraryLocator fromEnvironment(List<Place> extra) {
        List<Place> all = places(System.getProperty(LIBPATH_PROPERTY), System.getenv("CUDA_HOME"),
                System.getenv("LD_LIBRARY_PATH"));
        all.addAll(extra);
        return new LibraryLocator(all, LibraryLocator::dlopenByName);
    }

    static List<Place> places(String libpath, String cudaHome, String ldLibraryPath) {
        List<Place> out = new ArrayList<>();
        out.add(new Place("-D" + LIBPATH_PROPERTY, split(libpath)));
        List<Path> home = new ArrayList<>();
        if (cudaHome != null && !cudaHome.isBlank()) {
            home.add(Path.of(cudaHome.trim(), "lib64"));
            home.add(Path.of(cudaHome.trim(), "lib"));
        }
        out.add(new Place("CUDA_HOME", home));
        out.add(new Place("LD_LIBRARY_PATH", split(ldLibraryPath)));
        return out;
    }

    private static List<Path> split(String pathList) {
        List<Path> dirs = new ArrayList<>();
        if (pathList == null) return dirs;
        for (String d : pathList.split(":")) {
            if (!d.isBlank()) dirs.add(Path.of(d.trim()));
        }
        return dirs;
    }

    /**
     * The first of {@code names} found, place by place, then by the system loader.
     *
     * @param what the library's name for people, e.g. "cuBLAS"
     * @throws LibraryNotFoundException naming the library, the file names and the places looked at
     */
    public Found locate(String what, List<String> names) {
        for (Place place : places) {
            for (Path dir : place.dirs()) {
                for (String name : names) {
                    Path candidate = dir.resolve(name);
                    if (Files.isRegularFile(candidate)) {
                        return new Found(name, candidate.toAbsolutePath(), place.label());
                    }
                }
            }
        }
        for (String name : names) {
            if (systemLoader.test(name)) return new Found(name, null, "the system library path");
        }
        List<String> looked = new ArrayList<>();
        for (Place place : places) looked.add(place.describe());
        throw new LibraryNotFoundException(what + " not found: looked for " + String.join(", ", names) + " in "
                + String.join("; ", looked) + "; and the system library path (dlopen by name). Set -D"
                + LIBPATH_PROPERTY + " to the directory that holds it.");
    }

    @SuppressWarnings("restricted") // dlopen by name is the point
    private static boolean dlopenByName(String name) {
        try {
            SymbolLookup.libraryLookup(name, Arena.global());
            return true;
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** A library that is in none of the places searched. */
    public static final class LibraryNotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LibraryNotFoundException(String message) {
            super(message);
        }
    }
}

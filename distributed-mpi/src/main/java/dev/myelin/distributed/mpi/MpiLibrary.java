package dev.myelin.distributed.mpi;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds Open MPI's {@code libmpi.so.40} (Open MPI 4 and 5 share the soname) by trying, in order: the
 * directories of {@code -Dmyelin.mpi.libpath} (colon-separated), {@code $MPI_HOME/lib} and {@code /lib64},
 * the directories of {@code LD_LIBRARY_PATH}, and finally the system loader (dlopen by name, which knows
 * ld.so.cache and so Debian's {@code /usr/lib/x86_64-linux-gnu}). When nothing is found the message names
 * every place looked at and how to install it.
 */
final class MpiLibrary {
    static final String LIBPATH_PROPERTY = "myelin.mpi.libpath";
    static final List<String> NAMES = List.of("libmpi.so.40", "libmpi.so");

    /** A labelled list of directories; {@code dirs} is empty when the setting is absent. */
    record Place(String label, List<Path> dirs) {
        String describe() {
            return dirs.isEmpty() ? label + " (not set)"
                    : label + " " + String.join(", ", dirs.stream().map(Path::toString).toList());
        }
    }

    /** Where the library is: a file, or (path null) a name the system loader opens. */
    record Found(String name, Path path) {
        String describe() {
            return path == null ? name + " (system library path)" : path.toString();
        }
    }

    private MpiLibrary() {}

    /** The places of this process. */
    static List<Place> places() {
        return places(System.getProperty(LIBPATH_PROPERTY), System.getenv("MPI_HOME"),
                System.getenv("LD_LIBRARY_PATH"));
    }

    static List<Place> places(String libpath, String mpiHome, String ldLibraryPath) {
        List<Path> home = new ArrayList<>();
        if (mpiHome != null && !mpiHome.isBlank()) {
            home.add(Path.of(mpiHome.trim(), "lib"));
            home.add(Path.of(mpiHome.trim(), "lib64"));
        }
        return List.of(new Place("-D" + LIBPATH_PROPERTY, split(libpath)), new Place("MPI_HOME", home),
                new Place("LD_LIBRARY_PATH", split(ldLibraryPath)));
    }

    /** The first of {@link #NAMES} found place by place, then by the system loader; else an exception saying where. */
    static Found locate(List<Place> places, Predicate<String> systemLoader) {
        for (Place place : places) {
            for (Path dir : place.dirs()) {
                for (String name : NAMES) {
                    Path candidate = dir.resolve(name);
                    if (Files.isRegularFile(candidate)) return new Found(name, candidate.toAbsolutePath());
                }
            }
        }
        for (String name : NAMES) {
            if (systemLoader.test(name)) return new Found(name, null);
        }
        List<String> looked = new ArrayList<>();
        for (Place place : places) looked.add(place.describe());
        throw new IllegalStateException("libmpi (Open MPI) not found: looked for " + String.join(", ", NAMES)
                + " in " + String.join("; ", looked) + "; and the system library path (dlopen by name). Install "
                + "Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev) or set -D" + LIBPATH_PROPERTY
                + " to the directory that holds libmpi.so.40");
    }

    /** Opens the located library for the process's lifetime. */
    @SuppressWarnings("restricted") // dlopen is the point
    static SymbolLookup open(Found found) {
        try {
            return found.path() == null ? SymbolLookup.libraryLookup(found.name(), Arena.global())
                    : SymbolLookup.libraryLookup(found.path(), Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("mpi: " + found.describe() + " was found but could not be loaded: "
                    + e.getMessage(), e);
        }
    }

    @SuppressWarnings("restricted") // dlopen by name is the point
    static boolean dlopenByName(String name) {
        try {
            SymbolLookup.libraryLookup(name, Arena.global());
            return true;
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static List<Path> split(String pathList) {
        List<Path> dirs = new ArrayList<>();
        if (pathList == null) return dirs;
        for (String d : pathList.split(":")) {
            if (!d.isBlank()) dirs.add(Path.of(d.trim()));
        }
        return dirs;
    }
}

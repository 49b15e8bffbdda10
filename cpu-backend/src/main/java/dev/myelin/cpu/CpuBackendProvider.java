package dev.myelin.cpu;

import dev.myelin.backend.Availability;
import dev.myelin.backend.Backend;
import dev.myelin.backend.BackendProvider;

/**
 * Registers the CPU backend with {@link java.util.ServiceLoader}. It runs in any JVM started with
 * the Vector API's incubator module and a well-formed {@code -Dmyelin.cpu.threads} (see
 * {@link CpuThreads}); otherwise it is unavailable with a reason that names the fix, instead of
 * failing later with a {@code NoClassDefFoundError} or ignoring the property.
 */
public final class CpuBackendProvider implements BackendProvider {
    /** The module the kernels are written with; a JDK only resolves it when asked to. */
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    static final String MISSING_VECTOR_MODULE = "this JVM was started without the Vector API module " + VECTOR_MODULE
            + ", which the CPU backend's kernels need: add --add-modules " + VECTOR_MODULE
            + " (and --enable-native-access=ALL-UNNAMED) to the java command line, Surefire's argLine or the"
            + " launcher's JVM arguments (README: \"Use Myelin in your project\")";

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        String problem = problem();
        return problem == null ? Availability.yes() : Availability.no(problem);
    }

    @Override
    public Backend create() {
        String problem = problem();
        if (problem != null) throw new IllegalStateException("cpu backend cannot start: " + problem);
        return new CpuBackend();
    }

    /** Why the backend cannot run in this JVM, or null. */
    private static String problem() {
        return vectorModuleResolved() ? CpuThreads.problem() : MISSING_VECTOR_MODULE;
    }

    /** Whether the boot layer holds the incubator module (it does only with --add-modules). */
    static boolean vectorModuleResolved() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }
}

package dev.myelin.backend;

import dev.myelin.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds backends with {@link ServiceLoader} and chooses the default one.
 *
 * <p>The choice, in order: {@link #setDefault(String)} from code; the system property
 * {@code myelin.backend}; the environment variable {@code MYELIN_BACKEND}; else {@code auto}, which
 * takes the available backend of highest priority (CUDA over CPU). Forcing a backend that cannot
 * load is an error that says why; under {@code auto} a backend that cannot load is skipped and
 * the reason is logged once, in one line. A backend that reports itself available but then fails
 * to start (a driver or library that loads but refuses to initialise) is skipped under
 * {@code auto} too, with a warning, and not tried again in this process.
 */
public final class Backends {
    public static final String PROPERTY = "myelin.backend";
    public static final String ENV = "MYELIN_BACKEND";
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private static final Map<String, Backend> CREATED = new LinkedHashMap<>();
    /** Providers whose create() failed under auto, with the failure; skipped from then on. */
    private static final Map<String, String> FAILED_TO_START = new LinkedHashMap<>();
    private static volatile Backend defaultBackend;

    private Backends() {}

    /** The providers on the class path, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        return found;
    }

    /** The backend ops use when a tensor's device is not given. */
    public static Backend getDefault() {
        Backend b = defaultBackend;
        if (b == null) {
            synchronized (Backends.class) {
                if (defaultBackend == null) defaultBackend = choose(requested(), true);
                b = defaultBackend;
            }
        }
        return b;
    }

    /** Selects the default backend by name ({@code auto}, {@code cpu}, {@code cuda}). */
    public static synchronized Backend setDefault(String name) {
        defaultBackend = choose(name, true);
        return defaultBackend;
    }

    /**
     * The backend for a device, creating it on first use. Each backend runs one device per process
     * (the CUDA backend the GPU {@code -Dmyelin.cuda.device} picks): a device without an index
     * ({@code "cuda"}) is that one; another index of its type is an IllegalArgumentException naming
     * the device and the one there is, never silently that one.
     */
    public static synchronized Backend forDevice(Device device) {
        Backend b = get(device.type());
        if (device.hasIndex() && !b.device().equals(device)) {
            throw new IllegalArgumentException("Myelin: device " + device + " does not exist: the " + b.name()
                    + " backend has 1 device in this process, " + b.device()
                    + (device.type().equals("cuda")
                            ? " (one GPU per process; -Dmyelin.cuda.device=N picks which)" : ""));
        }
        return b;
    }

    /** The backend with this name, or an exception saying why it cannot be had. */
    public static synchronized Backend get(String name) {
        return choose(name, false);
    }

    /** The requested name from the property or the environment, {@code auto} when neither is set. */
    static String requested() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return p.trim().toLowerCase();
        String e = System.getenv(ENV);
        if (e != null && !e.isBlank()) return e.trim().toLowerCase();
        return "auto";
    }

    private static synchronized Backend choose(String name, boolean log) {
        String wanted = name == null ? "auto" : name.trim().toLowerCase();
        Backend cached = CREATED.get(wanted);
        if (cached != null) return cached;
        List<BackendProvider> providers = providers();
        if (providers.isEmpty()) {
            throw new IllegalStateException("Myelin: no backend on the class path; add dev.myelin:myelin-cpu "
                    + "(or myelin-cuda) as a dependency");
        }
        if (wanted.equals("auto")) {
            List<String> skipped = new ArrayList<>();
            for (BackendProvider p : providers) {
                Availability a = p.availability();
                if (a.available()) {
                    Backend b = createOrSkip(p);
                    if (b == null) {
                        skipped.add(p.name() + ": failed to start: " + FAILED_TO_START.get(p.name()));
                        continue;
                    }
                    if (log) {
                        LOG.info("Myelin backend: {} (auto{})", p.name(),
                                skipped.isEmpty() ? "" : "; skipped " + String.join("; ", skipped));
                    }
                    return b;
                }
                skipped.add(p.name() + ": " + a.reason());
            }
            if (log) LOG.error("Myelin backend: none (auto; skipped {})", String.join("; ", skipped));
            throw new IllegalStateException("Myelin: no backend is available: " + String.join("; ", skipped));
        }
        for (BackendProvider p : providers) {
            if (!p.name().equals(wanted)) continue;
            Availability a = p.availability();
            if (!a.available()) {
                throw new IllegalStateException("Myelin: backend '" + wanted + "' was requested but cannot load: "
                        + a.reason());
            }
            Backend b = create(p);
            if (log) LOG.info("Myelin backend: {} (forced)", p.name());
            return b;
        }
        List<String> names = providers.stream().map(BackendProvider::name).toList();
        throw new IllegalArgumentException("Myelin: unknown backend '" + wanted + "'; available names: auto, "
                + String.join(", ", names));
    }

    private static Backend create(BackendProvider p) {
        return CREATED.computeIfAbsent(p.name(), n -> p.create());
    }

    /** create(p) for auto: null, with the failure remembered and logged once, when p fails to start. */
    private static Backend createOrSkip(BackendProvider p) {
        if (FAILED_TO_START.containsKey(p.name())) return null;
        try {
            return create(p);
        } catch (RuntimeException | LinkageError e) {
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            FAILED_TO_START.put(p.name(), why);
            LOG.warn("Myelin backend {} is available but failed to start ({}); auto takes the next one", p.name(), why);
            return null;
        }
    }
}

package dev.myelin.distributed;

import dev.myelin.Device;
import dev.myelin.backend.Backends;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * The process group of this process (PyTorch's {@code torch.distributed}): {@link #initProcessGroup()}
 * joins the job the launcher started, {@link #group()} returns it afterwards.
 *
 * <p>The transport, in order: the argument of {@link #initProcessGroup(String)}; the system property
 * {@code myelin.dist}; the environment variable {@code MYELIN_DIST}; else {@code auto}: a process started
 * without a launcher (or as a job of one) is a world of one that needs no library; otherwise NCCL when the
 * default backend's device is a GPU and NCCL is available, else MPI. A transport that cannot start is an
 * error that says why. In a job of several processes each takes the GPU of its local rank unless
 * {@code -Dmyelin.cuda.device} says otherwise (initialize the group before the first CUDA tensor).
 *
 * <p>Collectives that do not finish within {@link #timeout()} (60 s unless {@code MYELIN_DIST_TIMEOUT} or
 * {@code -Dmyelin.dist.timeout} gives seconds) throw, so that a dead rank never hangs the others.
 */
public final class Distributed {
    public static final String PROPERTY = "myelin.dist";
    public static final String ENV = "MYELIN_DIST";
    private static final String CUDA_DEVICE_PROPERTY = "myelin.cuda.device";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static ProcessGroup group;

    private Distributed() {}

    /** Joins the job with the transport chosen by the property, the environment or {@code auto}. */
    public static ProcessGroup initProcessGroup() {
        return initProcessGroup(setting(PROPERTY, ENV, "auto"));
    }

    /** Joins the job with the named transport ("mpi", "nccl", "local" or "auto"). */
    public static synchronized ProcessGroup initProcessGroup(String transport) {
        if (group != null) {
            throw new IllegalStateException("initProcessGroup: this process already joined a group (" + group.name()
                    + ", rank " + group.rank() + " of " + group.worldSize() + "); call destroyProcessGroup() first");
        }
        group = create(transport.trim().toLowerCase(Locale.ROOT), LaunchEnvironment.current());
        return group;
    }

    /** Whether {@link #initProcessGroup} has run (and {@link #destroyProcessGroup} has not since). */
    public static synchronized boolean isInitialized() {
        return group != null;
    }

    /** The group this process joined. */
    public static synchronized ProcessGroup group() {
        if (group == null) {
            throw new IllegalStateException("distributed: no process group; call Distributed.initProcessGroup() "
                    + "first");
        }
        return group;
    }

    /** This process's rank, 0 when no group was joined. */
    public static synchronized int rank() {
        return group == null ? 0 : group.rank();
    }

    /** The number of processes in the job, 1 when no group was joined. */
    public static synchronized int worldSize() {
        return group == null ? 1 : group.worldSize();
    }

    /** Leaves the group (closing its transport); a later {@link #initProcessGroup} may join again. */
    public static synchronized void destroyProcessGroup() {
        if (group == null) return;
        try {
            group.close();
        } finally {
            group = null;
        }
    }

    /** How long a collective may take before it is taken for a failure. */
    public static Duration timeout() {
        String seconds = setting("myelin.dist.timeout", "MYELIN_DIST_TIMEOUT", null);
        if (seconds == null) return DEFAULT_TIMEOUT;
        try {
            double s = Double.parseDouble(seconds);
            if (s > 0) return Duration.ofMillis((long) (s * 1000));
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("distributed: MYELIN_DIST_TIMEOUT / myelin.dist.timeout must be a "
                + "positive number of seconds, got '" + seconds + "'");
    }

    /**
     * A new world of one process that needs no library (what {@link #initProcessGroup} gives without a
     * launcher), not joined as the default group: e.g. a transport's bootstrap in a job of one.
     */
    public static ProcessGroup worldOfOne() {
        return new LocalProcessGroup();
    }

    /** The transports on the class path. */
    public static List<ProcessGroupProvider> providers() {
        List<ProcessGroupProvider> found = new ArrayList<>();
        ServiceLoader.load(ProcessGroupProvider.class, Distributed.class.getClassLoader()).forEach(found::add);
        return found;
    }

    static ProcessGroup create(String transport, LaunchEnvironment launch) {
        pinGpuToLocalRank(launch);
        return switch (transport) {
            case "local" -> local(launch);
            case "auto" -> launch.worldSize() == 1 ? new LocalProcessGroup() : automatic(launch);
            default -> named(transport, launch);
        };
    }

    /**
     * Each rank of a job takes the GPU of its local rank: sets {@code myelin.cuda.device} (the CUDA backend's
     * device setting) unless it is set, before the default backend is chosen below and opens a device. A
     * process that already used the CUDA backend keeps its device (the NCCL transport warns then).
     */
    private static void pinGpuToLocalRank(LaunchEnvironment launch) {
        if (launch.worldSize() > 1 && System.getProperty(CUDA_DEVICE_PROPERTY) == null) {
            System.setProperty(CUDA_DEVICE_PROPERTY, Integer.toString(launch.localRank()));
        }
    }

    private static ProcessGroup local(LaunchEnvironment launch) {
        if (launch.worldSize() != 1) {
            throw new IllegalStateException("initProcessGroup(local): the launcher (" + launch.launcher()
                    + ") started " + launch.worldSize() + " processes, but the local transport is a world of one; "
                    + "use mpi or nccl");
        }
        return new LocalProcessGroup();
    }

    private static ProcessGroup automatic(LaunchEnvironment launch) {
        Device device = Backends.getDefault().device();
        List<ProcessGroupProvider> providers = providers();
        StringBuilder reasons = new StringBuilder();
        for (String preferred : device.type().equals("cpu") ? List.of("mpi") : List.of("nccl", "mpi")) {
            for (ProcessGroupProvider p : providers) {
                if (!p.name().equals(preferred) || !p.supports(device)) continue;
                var availability = p.availability();
                if (availability.available()) return p.create(launch);
                reasons.append("; ").append(p.name()).append(": ").append(availability.reason());
            }
        }
        throw new IllegalStateException("initProcessGroup(auto): rank " + launch.rank() + " of " + launch.worldSize()
                + " (launched by " + launch.launcher() + ") found no transport for device " + device
                + (reasons.isEmpty() ? ": none on the class path (add the myelin-mpi module)" : reasons.toString()));
    }

    private static ProcessGroup named(String transport, LaunchEnvironment launch) {
        List<String> names = new ArrayList<>(List.of("auto", "local"));
        for (ProcessGroupProvider p : providers()) {
            names.add(p.name());
            if (!p.name().equals(transport)) continue;
            var availability = p.availability();
            if (!availability.available()) {
                throw new IllegalStateException("initProcessGroup(" + transport + "): not available: "
                        + availability.reason());
            }
            return p.create(launch);
        }
        throw new IllegalArgumentException("initProcessGroup: unknown transport '" + transport + "'; known: "
                + String.join(", ", names));
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) value = System.getenv(env);
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}

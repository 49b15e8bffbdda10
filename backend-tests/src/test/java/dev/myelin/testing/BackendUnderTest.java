package dev.myelin.testing;

import dev.myelin.Device;
import dev.myelin.backend.Availability;
import dev.myelin.backend.Backend;
import dev.myelin.backend.BackendProvider;
import dev.myelin.backend.Backends;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One backend a device-generic test runs on (PyTorch's {@code device} argument): {@code cpu} always,
 * {@code cuda-emulated} (the CUDA backend on the kernel emulator) always listed and skipped, with the
 * reason, where the emulator cannot be built, and {@code cuda} where a GPU is present (or listed and
 * failed under {@code -Dmyelin.gpu=required}). {@code -Dmyelin.test.backends=cpu,cuda} narrows the list.
 * While a test runs on it (see {@link OnEachBackend}), it is the default backend, so {@code Tensor.of}
 * and friends create their tensors there.
 */
public record BackendUnderTest(String name) {
    public static final String CPU = "cpu";
    public static final String CUDA_EMULATED = "cuda-emulated";
    public static final String CUDA = "cuda";
    /** A comma-separated subset of the backends above, for runs that want only some of them. */
    public static final String ONLY_PROPERTY = "myelin.test.backends";

    /** The backends of this run, in order cpu, cuda-emulated, cuda: the argument source of {@link OnEachBackend}. */
    public static Stream<BackendUnderTest> all() {
        String only = System.getProperty(ONLY_PROPERTY, "").trim();
        List<String> wanted = only.isEmpty() ? List.of() : Arrays.stream(only.split(",")).map(String::trim).toList();
        List<BackendUnderTest> list = new ArrayList<>();
        list.add(new BackendUnderTest(CPU));
        list.add(new BackendUnderTest(CUDA_EMULATED));
        // Named explicitly, cuda is listed even where it cannot run, so that its tests show as skipped (or failed).
        if (gpuRequired() || wanted.contains(CUDA) || availability(CUDA).available()) {
            list.add(new BackendUnderTest(CUDA));
        }
        if (!wanted.isEmpty()) list.removeIf(b -> !wanted.contains(b.name()));
        return list.stream();
    }

    /** Every backend of {@link #all()} but the CPU: the source of {@link ParityWithCpu}. */
    public static Stream<BackendUnderTest> allButCpu() {
        return all().filter(b -> !b.isCpu());
    }

    /**
     * Each case on each backend but the CPU, as (backend, case) arguments (a case that is an
     * {@link Arguments} gives (backend, its arguments...)): the source of a parity test
     * that has cases of its own, declared as
     * {@code @ParameterizedTest(name = "on {0}: {1}") @MethodSource("cases") @ExtendWith(BackendInvocation.class)}.
     */
    public static Stream<Arguments> allButCpuTimes(List<?> cases) {
        return allButCpu().flatMap(b -> cases.stream().map(c -> withBackend(b, c)));
    }

    /** Each case on each backend, as (backend, case) arguments; see {@link #allButCpuTimes}. */
    public static Stream<Arguments> allTimes(List<?> cases) {
        return all().flatMap(b -> cases.stream().map(c -> withBackend(b, c)));
    }

    /** (backend, case), or (backend, the case's arguments...) where the case is an {@link Arguments}. */
    private static Arguments withBackend(BackendUnderTest b, Object c) {
        if (!(c instanceof Arguments a)) return Arguments.of(b, c);
        Object[] args = new Object[a.get().length + 1];
        args[0] = b;
        System.arraycopy(a.get(), 0, args, 1, a.get().length);
        return Arguments.of(args);
    }

    /** The backend itself (created on first use). */
    public Backend backend() {
        return Backends.get(name);
    }

    /** Its device, for {@code tensor.to(device)}. */
    public Device device() {
        return backend().device();
    }

    public boolean isCpu() {
        return name.equals(CPU);
    }

    /** Whether it can run here, or why not (a provider missing from the class path included). */
    public Availability availability() {
        return availability(name);
    }

    /** {@code -Dmyelin.gpu=required} (GPU machines): cuda is listed, and fails its tests where it cannot run. */
    static boolean gpuRequired() {
        return "required".equalsIgnoreCase(System.getProperty("myelin.gpu", "").trim());
    }

    private static Availability availability(String name) {
        for (BackendProvider p : Backends.providers()) {
            if (p.name().equals(name)) return p.availability();
        }
        return Availability.no("no backend provider named '" + name + "' on the class path");
    }

    @Override
    public String toString() {
        return name;
    }
}

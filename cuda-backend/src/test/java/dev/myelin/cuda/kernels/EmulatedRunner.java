package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.backend.Storage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A {@link KernelRunner} that runs the kernels on the {@link HostEmulator}, on tensors of the CPU
 * backend: the launchers under test stay exactly as they run on a GPU. Each storage a launch
 * points into is copied to native memory between two guard zones, the kernel runs, and the guards
 * are checked (a write outside a storage fails the launch by name) before the storages are copied
 * back; a read outside one gets NaN or -1 (see {@link #GUARD}). Launches run synchronously, so a
 * flag can be read right after.
 */
public final class EmulatedRunner implements KernelRunner {
    private static final int GUARD_BYTES = 256;
    /**
     * All bits set: NaN as float and double, -1 as an integer, so that a read past a storage shows in the result too.
     */
    private static final byte GUARD = (byte) 0xFF;

    /** Why the emulator cannot run here (the compiler's output), or null when it can. */
    public static String unavailableReason() {
        return HostEmulator.unavailableReason();
    }

    @Override
    public void launch(KernelSpec spec, DType dtype, Dim3 grid, Dim3 block, KernelCall call) {
        KernelSpec.Variant kernel = new KernelSpec.Variant(spec, dtype);
        call.checkAgainst(kernel);
        HostEmulator emulator = HostEmulator.get();
        if (emulator == null) {
            throw new IllegalStateException("no kernel emulator: " + HostEmulator.unavailableReason());
        }
        try (Arena arena = Arena.ofConfined()) {
            Map<Storage, Mirror> mirrors = new IdentityHashMap<>();
            List<KernelCall.Arg> args = call.args();
            MemorySegment params = arena.allocate(ADDRESS, args.size());
            for (int i = 0; i < args.size(); i++) params.setAtIndex(ADDRESS, i, value(args.get(i), arena, mirrors));
            String error = emulator.launch(kernel.name(), grid, block, params);
            for (Mirror m : mirrors.values()) m.checkGuards(kernel.name());
            for (Mirror m : mirrors.values()) m.copyBack();
            if (error != null) throw new IllegalStateException("emulated cuda kernel " + kernel.name() + ": " + error);
        }
    }

    @Override
    public long readFlag(Tensor flag) {
        long[] v = new long[1];
        flag.storage().read(flag.offset(), v, 0, 1);
        return v[0];
    }

    private static MemorySegment value(KernelCall.Arg arg, Arena arena, Map<Storage, Mirror> mirrors) {
        return switch (arg) {
            case KernelCall.Pointer p -> {
                Tensor t = p.tensor();
                if (t.isClosed()) throw new IllegalStateException("a kernel argument points into a closed tensor");
                Mirror m = mirrors.computeIfAbsent(t.storage(), s -> new Mirror(s, arena));
                yield arena.allocateFrom(JAVA_LONG, m.address(t.offset()));
            }
            case KernelCall.NullPointer n -> arena.allocateFrom(JAVA_LONG, 0L);
            case KernelCall.I32 v -> arena.allocateFrom(JAVA_INT, v.value());
            case KernelCall.I64 v -> arena.allocateFrom(JAVA_LONG, v.value());
            case KernelCall.F32 v -> arena.allocateFrom(JAVA_FLOAT, v.value());
            case KernelCall.F64 v -> arena.allocateFrom(JAVA_DOUBLE, v.value());
            case KernelCall.Struct s -> arena.allocateFrom(JAVA_LONG, s.words());
        };
    }

    /** A storage's elements in native memory, with a guard zone on either side. */
    private static final class Mirror {
        private final Storage storage;
        private final Object host;
        private final MemorySegment segment;
        private final long bytes;

        Mirror(Storage storage, Arena arena) {
            this.storage = storage;
            int n = Math.toIntExact(storage.numel());
            this.host = switch (storage.dtype()) {
                case FLOAT32 -> new float[n];
                case FLOAT64 -> new double[n];
                case INT32 -> new int[n];
                case INT64 -> new long[n];
            };
            this.bytes = (long) n * storage.dtype().byteSize();
            this.segment = arena.allocate(bytes + 2L * GUARD_BYTES, 64);
            segment.fill(GUARD);
            storage.read(0, host, 0, n);
            MemorySegment.copy(heap(), 0, segment, GUARD_BYTES, bytes);
        }

        long address(long elementOffset) {
            return segment.address() + GUARD_BYTES + elementOffset * storage.dtype().byteSize();
        }

        void checkGuards(String kernel) {
            for (long i = 0; i < GUARD_BYTES; i++) {
                boolean before = segment.get(JAVA_BYTE, i) != GUARD;
                boolean after = segment.get(JAVA_BYTE, GUARD_BYTES + bytes + i) != GUARD;
                if (before || after) {
                    throw new IllegalStateException("emulated cuda kernel " + kernel + " wrote "
                            + (before ? "before" : "past")
                            + " the " + storage.dtype() + " storage of " + storage.numel() + " elements it was given");
                }
            }
        }

        void copyBack() {
            MemorySegment.copy(segment, GUARD_BYTES, heap(), 0, bytes);
            storage.write(0, host, 0, Math.toIntExact(storage.numel()));
        }

        private MemorySegment heap() {
            return switch (host) {
                case float[] a -> MemorySegment.ofArray(a);
                case double[] a -> MemorySegment.ofArray(a);
                case int[] a -> MemorySegment.ofArray(a);
                case long[] a -> MemorySegment.ofArray(a);
                default -> throw new IllegalStateException("unreachable");
            };
        }
    }
}

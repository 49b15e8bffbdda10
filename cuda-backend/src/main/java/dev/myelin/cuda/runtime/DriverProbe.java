package dev.myelin.cuda.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Asks the CUDA driver, through {@code java.lang.foreign}, whether it loads, initialises and sees a
 * device. It loads no JCuda code, so it is safe (and cheap) on machines without a GPU.
 */
// Native access (dlopen, downcalls, reading C strings) is this class's job; the JVM runs with
// --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
final class DriverProbe {
    /** The driver's answer; {@code reason} is null when a device is usable. */
    record Result(String reason, int deviceCount, int driverVersion) {
        boolean usable() {
            return reason == null;
        }
    }

    static final String DRIVER_LIBRARY = "libcuda.so.1";

    private DriverProbe() {}

    static Result probe() {
        return probe(DRIVER_LIBRARY);
    }

    /** Probes the driver library of this file name (tests pass one that does not exist). */
    static Result probe(String libraryName) {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(libraryName, Arena.global());
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            return new Result("no CUDA driver: " + libraryName + " could not be loaded (dlopen by name; is the NVIDIA "
                    + "driver installed?)", 0, 0);
        }
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor intOfPtr = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
            MethodHandle cuInit = linker.downcallHandle(find(lib, "cuInit"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle getVersion = linker.downcallHandle(find(lib, "cuDriverGetVersion"), intOfPtr);
            MethodHandle getCount = linker.downcallHandle(find(lib, "cuDeviceGetCount"), intOfPtr);
            int rc = (int) cuInit.invokeExact(0);
            if (rc != 0) {
                return new Result("the CUDA driver did not initialise: cuInit returned " + errorName(lib, rc)
                        + " (no device visible, or a driver/kernel-module mismatch)", 0, 0);
            }
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            rc = (int) getVersion.invokeExact(out);
            int version = rc == 0 ? out.get(ValueLayout.JAVA_INT, 0) : 0;
            rc = (int) getCount.invokeExact(out);
            if (rc != 0) return new Result("cuDeviceGetCount returned " + errorName(lib, rc), 0, version);
            int count = out.get(ValueLayout.JAVA_INT, 0);
            if (count == 0) return new Result("the CUDA driver sees no device", 0, version);
            return new Result(null, count, version);
        } catch (Throwable e) {
            return new Result("probing the CUDA driver failed: " + e, 0, 0);
        }
    }

    private static MemorySegment find(SymbolLookup lib, String symbol) {
        return lib.find(symbol).orElseThrow(() -> new IllegalStateException("libcuda has no symbol " + symbol));
    }

    private static String errorName(SymbolLookup lib, int code) {
        try (Arena arena = Arena.ofConfined()) {
            MethodHandle name = Linker.nativeLinker().downcallHandle(find(lib, "cuGetErrorName"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            if ((int) name.invokeExact(code, out) == 0) {
                return out.get(ValueLayout.ADDRESS, 0).reinterpret(256).getString(0) + " (" + code + ")";
            }
        } catch (Throwable ignored) {
            // fall through to the bare code
        }
        return "error " + code;
    }
}

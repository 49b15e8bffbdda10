package dev.myelin;

import java.util.Objects;

/**
 * Where a tensor lives: a backend name ({@code "cpu"}, {@code "cuda"}) and a device index.
 * Parsed from strings like PyTorch's: {@code "cpu"}, {@code "cuda"}, {@code "cuda:1"}. A type
 * without an index other than the CPU ({@code "cuda"}) has index {@link #NO_INDEX}: the backend's
 * current device, as PyTorch's {@code torch.device("cuda")} whose index is None. {@code "cpu"} is
 * {@link #CPU}, index 0. Parsing checks the syntax only; using a device that does not exist
 * ({@code cuda:3} on a process that runs on cuda:0, {@code cpu:1}) is an error naming the devices
 * there are (see {@link dev.myelin.backend.Backends#forDevice}).
 */
public record Device(String type, int index) {
    /** The index of a device given by its type alone: whichever device that backend runs on. */
    public static final int NO_INDEX = -1;
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        Objects.requireNonNull(type, "type");
        if (index < NO_INDEX) throw new IllegalArgumentException("Device: index must be >= 0, got " + index);
    }

    public static Device cuda(int index) {
        return new Device("cuda", index);
    }

    /** Whether an index was given (else the backend's current device is meant). */
    public boolean hasIndex() {
        return index != NO_INDEX;
    }

    public static Device parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) {
            String type = spec.trim().toLowerCase();
            return type.equals("cpu") ? CPU : new Device(type, NO_INDEX);
        }
        try {
            return new Device(spec.substring(0, colon).trim().toLowerCase(),
                    Integer.parseInt(spec.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Device: cannot parse '" + spec + "' (expected e.g. cpu, cuda, cuda:1)");
        }
    }

    @Override
    public String toString() {
        if (!hasIndex() || (type.equals("cpu") && index == 0)) return type;
        return type + ":" + index;
    }
}

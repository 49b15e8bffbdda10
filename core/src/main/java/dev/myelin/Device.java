package dev.myelin;

import java.util.Objects;

/**
 * Where a tensor lives: a backend name ({@code "cpu"}, {@code "cuda"}) and a device index.
 * Parsed from strings like PyTorch's: {@code "cpu"}, {@code "cuda"}, {@code "cuda:1"}.
 */
public record Device(String type, int index) {
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        Objects.requireNonNull(type, "type");
        if (index < 0) throw new IllegalArgumentException("Device: index must be >= 0, got " + index);
    }

    public static Device cuda(int index) {
        return new Device("cuda", index);
    }

    public static Device parse(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) return new Device(spec.trim().toLowerCase(), 0);
        try {
            return new Device(spec.substring(0, colon).trim().toLowerCase(),
                    Integer.parseInt(spec.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Device: cannot parse '" + spec + "' (expected e.g. cpu, cuda, cuda:1)");
        }
    }

    @Override
    public String toString() {
        return type.equals("cpu") ? "cpu" : type + ":" + index;
    }
}

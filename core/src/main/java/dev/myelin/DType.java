package dev.myelin;

/** Element type of a tensor. Float32 is the default; float64 serves gradient checks on the CPU. */
public enum DType {
    FLOAT32(4, true),
    FLOAT64(8, true),
    INT32(4, false),
    INT64(8, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return floating;
    }

    /** The type PyTorch's promotion gives for an op on {@code a} and {@code b}. */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.floating || b.floating) {
            if (a == FLOAT64 || b == FLOAT64) return FLOAT64;
            return FLOAT32;
        }
        return (a == INT64 || b == INT64) ? INT64 : INT32;
    }
}

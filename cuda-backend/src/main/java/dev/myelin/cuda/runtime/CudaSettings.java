package dev.myelin.cuda.runtime;

import dev.myelin.backend.Debug;

/**
 * Switches of the CUDA backend, read from system properties at first use and changeable from code.
 *
 * <ul>
 *   <li>{@code myelin.cuda.tf32} (default false): lets cuBLAS and cuDNN run float32 products on
 *       tensor cores with TF32 inputs (10-bit mantissa). Off by default, as PyTorch's matmul, so
 *       float32 results match the CPU to about 1e-6; turn it on for speed when that is enough.</li>
 *   <li>{@code myelin.cuda.device} (default 0): which GPU the backend uses.</li>
 *   <li>{@code myelin.cuda.sync} (default false): the CUDA part of the debug trace at level 2
 *       ({@link Debug}, {@code -Dmyelin.debug=2} turns it on too): every launch of
 *       Myelin's own kernels is waited for and logged with its grid, block and time, so that an
 *       asynchronous error is reported by the launch that caused it.</li>
 * </ul>
 */
public final class CudaSettings {
    public static final String TF32 = "myelin.cuda.tf32";
    public static final String DEVICE = "myelin.cuda.device";
    public static final String SYNC = "myelin.cuda.sync";

    private static volatile boolean tf32 = Boolean.getBoolean(TF32);
    private static final boolean SYNC_EACH_CALL = Boolean.getBoolean(SYNC) || Debug.level() >= 2;

    private CudaSettings() {}

    /** Whether float32 GEMMs and convolutions may use TF32 tensor cores. */
    public static boolean tf32() {
        return tf32;
    }

    /** Allows or forbids TF32 for the float32 calls issued from now on. */
    public static void setTf32(boolean allowed) {
        tf32 = allowed;
    }

    /** The device index the backend opens. */
    public static int deviceIndex() {
        String v = System.getProperty(DEVICE, "0").trim();
        try {
            int i = Integer.parseInt(v);
            if (i >= 0) return i;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("cuda: -D" + DEVICE + " must be a device index >= 0, got '" + v + "'");
    }

    /** Whether every kernel launch is waited for and logged. Internal: not part of the API. */
    public static boolean syncEachCall() {
        return SYNC_EACH_CALL;
    }
}

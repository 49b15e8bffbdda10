package dev.myelin.cuda.runtime;

import jcuda.driver.CUresult;

/**
 * Turns CUDA driver result codes into exceptions that name the call.
 *
 * <p>Internal: not part of the API.
 */
public final class DriverCalls {
    private DriverCalls() {}

    public static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaDriverException("cuda: " + call + " failed: " + CUresult.stringFor(result) + " ("
                    + result + ")");
        }
    }
}

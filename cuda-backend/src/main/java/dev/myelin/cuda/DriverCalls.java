package dev.myelin.cuda;

import jcuda.driver.CUresult;

/** Turns CUDA driver result codes into exceptions that name the call. */
final class DriverCalls {
    private DriverCalls() {}

    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaDriverException("cuda: " + call + " failed: " + CUresult.stringFor(result) + " (" + result + ")");
        }
    }
}

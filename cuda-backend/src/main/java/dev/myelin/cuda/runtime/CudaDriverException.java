package dev.myelin.cuda.runtime;

/** A CUDA driver, cuBLAS or cuDNN call failed; the message names the call and the error. */
public class CudaDriverException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaDriverException(String message) {
        super(message);
    }
}

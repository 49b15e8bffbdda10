package dev.myelin.cuda.runtime;

import java.util.List;

/**
 * cuBLAS and cuDNN 9: which file names to look for, which companions to preload, and the
 * process-wide opened libraries. cuBLAS 13 needs a CUDA 13 driver, so with an older driver only
 * {@code libcublas.so.12} is looked for.
 *
 * <p>Internal: not part of the API.
 */
public final class CudaLibraries {
    static final String CUDNN = "libcudnn.so.9";
    /** cuDNN 9's shim loads these sub-libraries by name; preloading them by path makes that work anywhere. */
    static final List<String> CUDNN_COMPANIONS = List.of("libcudnn_graph.so.9", "libcudnn_engines_precompiled.so.9",
            "libcudnn_engines_runtime_compiled.so.9", "libcudnn_heuristic.so.9", "libcudnn_ops.so.9",
            "libcudnn_cnn.so.9");

    private static volatile NativeLibrary cublas;
    private static volatile NativeLibrary cudnn;

    private CudaLibraries() {}

    /** The cuBLAS file names to try, newest first, for a driver of this version (e.g. 13000 for CUDA 13.0). */
    static List<String> cublasNames(int driverVersion) {
        return driverVersion >= 13000 ? List.of("libcublas.so.13", "libcublas.so.12") : List.of("libcublas.so.12");
    }

    /** libcublasLt of the same major version, which libcublas links against. */
    static List<String> cublasCompanions(String cublasName) {
        return List.of(cublasName.replace("libcublas.so", "libcublasLt.so"));
    }

    /** Locates both libraries in the locator's places, and opens them (once per process). */
    static synchronized void open(LibraryLocator locator, int driverVersion) {
        LibraryLocator.Found blas = locator.locate("cuBLAS", cublasNames(driverVersion));
        LibraryLocator.Found dnn = locator.locate("cuDNN 9", List.of(CUDNN));
        if (cublas != null && cudnn != null) return;
        NativeLibrary openedBlas = NativeLibrary.open("cuBLAS", blas, cublasCompanions(blas.name()));
        NativeLibrary openedDnn = NativeLibrary.open("cuDNN", dnn, CUDNN_COMPANIONS);
        cublas = openedBlas;
        cudnn = openedDnn;
    }

    public static NativeLibrary cublas() {
        NativeLibrary l = cublas;
        if (l == null) {
            throw new IllegalStateException("cuda: cuBLAS was not opened (check CudaBackendProvider.availability())");
        }
        return l;
    }

    public static NativeLibrary cudnn() {
        NativeLibrary l = cudnn;
        if (l == null) {
            throw new IllegalStateException("cuda: cuDNN was not opened (check CudaBackendProvider.availability())");
        }
        return l;
    }
}

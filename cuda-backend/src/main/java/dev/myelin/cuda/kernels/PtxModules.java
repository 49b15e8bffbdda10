package dev.myelin.cuda.kernels;

import dev.myelin.cuda.runtime.CudaDevice;
import dev.myelin.cuda.runtime.DriverCalls;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Myelin's own kernels: PTX files shipped as class-path resources
 * {@code dev/myelin/cuda/ptx/<module>.ptx}, each loaded into the device's context once
 * (cuModuleLoadData, which JIT-compiles the PTX for the GPU at hand), with each kernel's
 * CUfunction looked up once and cached by module and name.
 */
final class PtxModules {
    static final String RESOURCE_DIR = "dev/myelin/cuda/ptx/";

    private final CudaDevice device;
    private final ConcurrentHashMap<String, CUmodule> modules = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CUfunction> functions = new ConcurrentHashMap<>();

    PtxModules(CudaDevice device) {
        this.device = device;
    }

    CUfunction function(String module, String name) {
        return functions.computeIfAbsent(module + "/" + name, key -> {
            CUfunction f = new CUfunction();
            int rc = JCudaDriver.cuModuleGetFunction(f, module(module), name);
            if (rc != 0) {
                throw new IllegalArgumentException("cuda: kernel '" + name + "' not found in PTX module '" + module
                        + "' (" + RESOURCE_DIR + module + ".ptx); is it declared extern \"C\" __global__?");
            }
            return f;
        });
    }

    private CUmodule module(String name) {
        return modules.computeIfAbsent(name, n -> {
            device.makeCurrent();
            CUmodule m = new CUmodule();
            DriverCalls.check(JCudaDriver.cuModuleLoadData(m, ptx(n)),
                    "cuModuleLoadData(" + RESOURCE_DIR + n + ".ptx)");
            return m;
        });
    }

    /** The PTX text of a module, NUL-terminated as cuModuleLoadData expects. */
    static byte[] ptx(String module) {
        String path = RESOURCE_DIR + module + ".ptx";
        try (InputStream in = PtxModules.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("cuda: PTX module '" + module
                        + "' not found on the class path (" + path + ")");
            }
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new IllegalStateException("cuda: reading " + path + " failed: " + e.getMessage(), e);
        }
    }
}

package dev.myelin.cuda;

import jcuda.driver.CUevent;
import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches Myelin's own CUDA kernels (PTX under {@code dev/myelin/cuda/ptx/}) on the device's
 * stream. Launches are asynchronous and ordered with every other piece of work of the backend;
 * a read of a storage waits for them.
 *
 * <pre>{@code
 * Kernels.launch("myelin_elementwise", "add_f32", Dim3.blocksFor(n, 256), Dim3.of(256), 0,
 *         KernelArgs.of().ptr(a).ptr(b).ptr(out).i64(n));
 * }</pre>
 *
 * With {@code -Dmyelin.cuda.sync=true} every launch is waited for and logged with its time, so
 * that an asynchronous error is reported by the kernel that caused it.
 */
public final class Kernels {
    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
    private static volatile PtxModules modules;

    private Kernels() {}

    /**
     * Launches {@code function} of PTX module {@code module} with the given grid, block, dynamic
     * shared memory (bytes) and arguments.
     *
     * @throws IllegalArgumentException when the module or kernel does not exist
     * @throws CudaDriverException when the driver refuses the launch (e.g. too many threads per block)
     */
    public static void launch(String module, String function, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args) {
        CudaDevice device = CudaDevice.get();
        device.makeCurrent();
        var f = modules(device).function(module, function);
        String what = module + "." + function;
        if (!CudaSettings.syncEachCall()) {
            DriverCalls.check(JCudaDriver.cuLaunchKernel(f, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                    sharedBytes, device.stream(), args.toKernelParams(), null), "cuLaunchKernel(" + what + ")");
            return;
        }
        CUevent start = new CUevent(), end = new CUevent();
        DriverCalls.check(JCudaDriver.cuEventCreate(start, 0), "cuEventCreate");
        DriverCalls.check(JCudaDriver.cuEventCreate(end, 0), "cuEventCreate");
        try {
            DriverCalls.check(JCudaDriver.cuEventRecord(start, device.stream()), "cuEventRecord");
            DriverCalls.check(JCudaDriver.cuLaunchKernel(f, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(),
                    sharedBytes, device.stream(), args.toKernelParams(), null), "cuLaunchKernel(" + what + ")");
            DriverCalls.check(JCudaDriver.cuEventRecord(end, device.stream()), "cuEventRecord");
            DriverCalls.check(JCudaDriver.cuEventSynchronize(end), "kernel " + what + args);
            float[] ms = new float[1];
            DriverCalls.check(JCudaDriver.cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
            LOG.info("cuda kernel {} grid {} block {} shared {} args {}: {} ms", what, grid, block, sharedBytes, args, ms[0]);
        } finally {
            JCudaDriver.cuEventDestroy(start);
            JCudaDriver.cuEventDestroy(end);
        }
    }

    private static PtxModules modules(CudaDevice device) {
        PtxModules m = modules;
        if (m == null) {
            synchronized (Kernels.class) {
                if (modules == null) modules = new PtxModules(device);
                m = modules;
            }
        }
        return m;
    }
}

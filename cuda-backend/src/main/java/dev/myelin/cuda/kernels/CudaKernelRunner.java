package dev.myelin.cuda.kernels;

import dev.myelin.DType;
import dev.myelin.Tensor;
import dev.myelin.cuda.runtime.CudaDevice;
import dev.myelin.cuda.runtime.CudaSettings;
import dev.myelin.cuda.runtime.CudaStorage;
import dev.myelin.cuda.runtime.DriverCalls;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The launcher: checks a {@link KernelCall} against its {@link KernelSpec} and queues the kernel
 * on the device's stream (cuLaunchKernel, no dynamic shared memory), ordered with every other
 * piece of the backend's work; a read of a storage waits for it. Each argument is passed as the
 * kernel declares it: a tensor as the 64-bit address of its first element, {@code i32} an
 * {@code int}, {@code i64} a {@code long long}, {@code f32} a {@code float}, {@code f64} a
 * {@code double}, a struct by value as its 64-bit words.
 *
 * <p>With {@code -Dmyelin.cuda.sync=true} every launch is timed with CUDA events, waited for and
 * logged, so that an asynchronous error is reported by the kernel that caused it.
 *
 * <p>Internal: not part of the API.
 */
public final class CudaKernelRunner implements KernelRunner {
    public static final CudaKernelRunner INSTANCE = new CudaKernelRunner();
    private static final Logger LOG = LoggerFactory.getLogger(CudaKernelRunner.class);
    private static volatile PtxModules modules;

    private CudaKernelRunner() {}

    /**
     * @throws IllegalArgumentException when the module or kernel does not exist, or a pointer
     *     argument is not on the CUDA device
     * @throws dev.myelin.cuda.runtime.CudaDriverException when the driver refuses the launch
     */
    @Override
    public void launch(KernelSpec spec, DType dtype, Dim3 grid, Dim3 block, KernelCall call) {
        KernelSpec.Variant kernel = new KernelSpec.Variant(spec, dtype);
        call.checkAgainst(kernel);
        Pointer params = kernelParams(call.args());
        CudaDevice device = CudaDevice.get();
        device.makeCurrent();
        CUfunction f = modules(device).function(spec.module(), kernel.name());
        String what = spec.module() + "." + kernel.name();
        if (!CudaSettings.syncEachCall()) {
            DriverCalls.check(JCudaDriver.cuLaunchKernel(f, grid.x(), grid.y(), grid.z(), block.x(), block.y(),
                    block.z(), 0, device.stream(), params, null), "cuLaunchKernel(" + what + ")");
            return;
        }
        CUevent start = new CUevent(), end = new CUevent();
        DriverCalls.check(JCudaDriver.cuEventCreate(start, 0), "cuEventCreate");
        DriverCalls.check(JCudaDriver.cuEventCreate(end, 0), "cuEventCreate");
        try {
            DriverCalls.check(JCudaDriver.cuEventRecord(start, device.stream()), "cuEventRecord");
            DriverCalls.check(JCudaDriver.cuLaunchKernel(f, grid.x(), grid.y(), grid.z(), block.x(), block.y(),
                    block.z(), 0, device.stream(), params, null), "cuLaunchKernel(" + what + ")");
            DriverCalls.check(JCudaDriver.cuEventRecord(end, device.stream()), "cuEventRecord");
            DriverCalls.check(JCudaDriver.cuEventSynchronize(end), "kernel " + what + call);
            float[] ms = new float[1];
            DriverCalls.check(JCudaDriver.cuEventElapsedTime(ms, start, end), "cuEventElapsedTime");
            LOG.info("cuda kernel {} grid {} block {} args {}: {} ms", what, grid, block, call, ms[0]);
        } finally {
            JCudaDriver.cuEventDestroy(start);
            JCudaDriver.cuEventDestroy(end);
        }
    }

    @Override
    public long readFlag(Tensor flag) {
        long[] v = new long[1];
        flag.storage().read(flag.offset(), v, 0, 1);
        return v[0];
    }

    /** cuLaunchKernel's kernelParams: an array of pointers to each argument's value. */
    static Pointer kernelParams(List<KernelCall.Arg> args) {
        NativePointerObject[] values = new NativePointerObject[args.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (args.get(i)) {
                case KernelCall.Pointer p -> Pointer.to(new long[] {address(i, p.tensor())});
                case KernelCall.NullPointer n -> Pointer.to(new long[] {0});
                case KernelCall.I32 v -> Pointer.to(new int[] {v.value()});
                case KernelCall.I64 v -> Pointer.to(new long[] {v.value()});
                case KernelCall.F32 v -> Pointer.to(new float[] {v.value()});
                case KernelCall.F64 v -> Pointer.to(new double[] {v.value()});
                // cuLaunchKernel copies as many bytes as the parameter's size.
                case KernelCall.Struct s -> Pointer.to(s.words().clone());
            };
        }
        return Pointer.to(values);
    }

    /** The device address of a tensor's first element (its storage plus its offset). */
    private static long address(int position, Tensor t) {
        if (!(t.storage() instanceof CudaStorage s)) {
            throw new IllegalArgumentException("cuda kernel argument " + position + ": expected a CUDA storage, got "
                    + t.storage().getClass().getName());
        }
        return s.address(t.offset());
    }

    private static PtxModules modules(CudaDevice device) {
        PtxModules m = modules;
        if (m == null) {
            synchronized (CudaKernelRunner.class) {
                if (modules == null) modules = new PtxModules(device);
                m = modules;
            }
        }
        return m;
    }
}

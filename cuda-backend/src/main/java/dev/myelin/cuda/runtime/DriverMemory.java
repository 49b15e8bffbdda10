package dev.myelin.cuda.runtime;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/** {@link DeviceMemory} from the driver: cuMemAlloc and cuMemFree in the device's context. */
final class DriverMemory implements DeviceMemory {
    private final CudaDevice device;

    DriverMemory(CudaDevice device) {
        this.device = device;
    }

    @Override
    public long allocate(long bytes) {
        device.makeCurrent();
        DevicePointers.Allocated p = new DevicePointers.Allocated();
        int rc = JCudaDriver.cuMemAlloc(p, bytes);
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) return 0;
        DriverCalls.check(rc, "cuMemAlloc(" + bytes + " bytes)");
        return p.address();
    }

    @Override
    public void free(long address) {
        device.makeCurrent();
        DriverCalls.check(JCudaDriver.cuMemFree(DevicePointers.at(address)), "cuMemFree");
    }

    @Override
    public long totalBytes() {
        return device.totalMemory();
    }

    @Override
    public long freeBytes() {
        device.makeCurrent();
        long[] free = new long[1], total = new long[1];
        return JCudaDriver.cuMemGetInfo(free, total) == CUresult.CUDA_SUCCESS ? free[0] : -1;
    }

    @Override
    public void synchronize() {
        device.synchronize();
    }
}

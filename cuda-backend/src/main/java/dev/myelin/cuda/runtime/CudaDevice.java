package dev.myelin.cuda.runtime;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The GPU the backend runs on, opened once per process: its primary context (the one the CUDA
 * runtime inside cuBLAS and cuDNN also uses), the one stream on which all of Myelin's work is
 * queued in order, the caching allocator and the pinned staging buffer. Driver calls need the
 * context current on the calling thread; {@link #makeCurrent()} does that once per thread.
 */
public final class CudaDevice {
    private static final Logger LOG = LoggerFactory.getLogger(CudaDevice.class);
    private static volatile CudaDevice instance;

    private final int index;
    private final String name;
    private final long totalMemory;
    private final int computeCapability;
    private final CUcontext context = new CUcontext();
    private final Stream stream = new Stream();
    private final ThreadLocal<Boolean> currentOnThread = ThreadLocal.withInitial(() -> false);
    private final CachingAllocator allocator;
    private final HostStaging staging;
    private final DeviceContext view = new DeviceContext() {
        @Override public void makeCurrent() { CudaDevice.this.makeCurrent(); }
        @Override public CachingAllocator allocator() { return allocator; }
        @Override public void zero(long address, long bytes) { CudaDevice.this.zero(address, bytes); }
        @Override public void upload(long dst, MemorySegment src, long srcOffset, long bytes) {
            CudaDevice.this.upload(dst, src, srcOffset, bytes);
        }
        @Override public void download(MemorySegment dst, long dstOffset, long src, long bytes) {
            CudaDevice.this.download(dst, dstOffset, src, bytes);
        }
    };

    /** A stream whose driver handle can be read, for cuBLAS and cuDNN's set-stream calls. */
    static final class Stream extends CUstream {
        long handle() {
            return getNativePointer();
        }
    }

    private CudaDevice(int index) {
        this.index = index;
        DriverCalls.check(JCudaDriver.cuInit(0), "cuInit");
        int[] count = new int[1];
        DriverCalls.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
        if (index >= count[0]) {
            throw new IllegalArgumentException("cuda: device " + index + " requested (-D" + CudaSettings.DEVICE
                    + "), but the driver sees " + count[0] + " device(s)");
        }
        CUdevice device = new CUdevice();
        DriverCalls.check(JCudaDriver.cuDeviceGet(device, index), "cuDeviceGet(" + index + ")");
        DriverCalls.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        makeCurrent();
        DriverCalls.check(JCudaDriver.cuStreamCreate(stream, 0), "cuStreamCreate");
        byte[] nameBytes = new byte[256];
        DriverCalls.check(JCudaDriver.cuDeviceGetName(nameBytes, nameBytes.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < nameBytes.length && nameBytes[len] != 0) len++;
        this.name = new String(nameBytes, 0, len, StandardCharsets.US_ASCII);
        long[] total = new long[1];
        DriverCalls.check(JCudaDriver.cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
        this.totalMemory = total[0];
        int[] major = new int[1], minor = new int[1];
        DriverCalls.check(JCudaDriver.cuDeviceGetAttribute(major,
                CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "cuDeviceGetAttribute");
        DriverCalls.check(JCudaDriver.cuDeviceGetAttribute(minor,
                CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "cuDeviceGetAttribute");
        this.computeCapability = major[0] * 10 + minor[0];
        this.allocator = new CachingAllocator(new DriverMemory(this));
        this.staging = new HostStaging(stream);
        LOG.debug("cuda: opened device {} ({}, compute capability {}.{}, {})", index, name, major[0], minor[0],
                Bytes.show(totalMemory));
    }

    /** The process's device, opened on first use (index from {@link CudaSettings#deviceIndex()}). */
    public static CudaDevice get() {
        CudaDevice d = instance;
        if (d == null) {
            synchronized (CudaDevice.class) {
                if (instance == null) instance = new CudaDevice(CudaSettings.deviceIndex());
                d = instance;
            }
        }
        return d;
    }

    /** The device if it was opened, else null (never opens it). Internal: not part of the API. */
    public static CudaDevice ifOpen() {
        return instance;
    }

    /** Makes this device's context current on the calling thread (cheap after the first call on a thread). */
    public void makeCurrent() {
        if (!currentOnThread.get()) {
            DriverCalls.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            currentOnThread.set(true);
        }
    }

    /** Waits until all work queued on the stream is done, reporting any asynchronous error. */
    public void synchronize() {
        makeCurrent();
        DriverCalls.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /** The stream all of Myelin's work goes to, for JCuda calls. */
    public CUstream stream() {
        return stream;
    }

    /** The stream's driver handle (a {@code CUstream}/{@code cudaStream_t} value), for foreign calls. */
    public long streamHandle() {
        return stream.handle();
    }

    /** Queues a device-to-device copy of {@code bytes} bytes. */
    public void copy(long dst, long src, long bytes) {
        if (bytes == 0) return;
        makeCurrent();
        DriverCalls.check(JCudaDriver.cuMemcpyDtoDAsync(DevicePointers.at(dst), DevicePointers.at(src), bytes, stream),
                "cuMemcpyDtoDAsync(" + bytes + " bytes)");
    }

    /** Queues setting {@code bytes} bytes at {@code address} to zero. */
    public void zero(long address, long bytes) {
        if (bytes == 0) return;
        makeCurrent();
        DriverCalls.check(JCudaDriver.cuMemsetD8Async(DevicePointers.at(address), (byte) 0, bytes, stream),
                "cuMemsetD8Async(" + bytes + " bytes)");
    }

    void upload(long dst, MemorySegment src, long srcOffset, long bytes) {
        if (bytes == 0) return;
        makeCurrent();
        staging.upload(dst, src, srcOffset, bytes);
    }

    void download(MemorySegment dst, long dstOffset, long src, long bytes) {
        if (bytes == 0) return;
        makeCurrent();
        staging.download(dst, dstOffset, src, bytes);
    }

    /** Internal: not part of the API. */
    public CachingAllocator allocator() {
        return allocator;
    }

    /** This device as storages and the library-backed families see it. Internal: not part of the API. */
    public DeviceContext context() {
        return view;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public long totalMemory() {
        return totalMemory;
    }

    /** Compute capability as major * 10 + minor, e.g. 90 for an H100 or H200. */
    public int computeCapability() {
        return computeCapability;
    }
}

package dev.myelin.cuda.runtime;

import jcuda.Pointer;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.lang.foreign.MemorySegment;

/**
 * A pinned (page-locked) host buffer through which host arrays are copied to and from the
 * device: the DMA engine reads pinned memory directly, where a pageable copy would go through
 * the driver's own bounce buffer at about half the speed. Large copies go in chunks of the
 * buffer's size. One copy at a time (synchronized); each returns when its data has arrived.
 */
final class HostStaging {
    static final long CAPACITY = 8L << 20;

    private final Pointer pinned = new Pointer();
    private final MemorySegment segment;
    private final CUstream stream;

    HostStaging(CUstream stream) {
        this.stream = stream;
        DriverCalls.check(JCudaDriver.cuMemHostAlloc(pinned, CAPACITY, 0), "cuMemHostAlloc(" + CAPACITY + " bytes)");
        this.segment = MemorySegment.ofBuffer(pinned.getByteBuffer(0, CAPACITY));
    }

    /** Copies {@code bytes} bytes of {@code src} from byte {@code srcOffset} to device address {@code dst}. */
    synchronized void upload(long dst, MemorySegment src, long srcOffset, long bytes) {
        for (long done = 0; done < bytes; done += CAPACITY) {
            long n = Math.min(CAPACITY, bytes - done);
            MemorySegment.copy(src, srcOffset + done, segment, 0, n);
            DriverCalls.check(JCudaDriver.cuMemcpyHtoDAsync(DevicePointers.at(dst + done), pinned, n, stream),
                    "cuMemcpyHtoDAsync");
            DriverCalls.check(JCudaDriver.cuStreamSynchronize(stream),
                    "cuStreamSynchronize after a host-to-device copy");
        }
    }

    /** Copies {@code bytes} bytes from device address {@code src} into {@code dst} at byte {@code dstOffset}. */
    synchronized void download(MemorySegment dst, long dstOffset, long src, long bytes) {
        for (long done = 0; done < bytes; done += CAPACITY) {
            long n = Math.min(CAPACITY, bytes - done);
            DriverCalls.check(JCudaDriver.cuMemcpyDtoHAsync(pinned, DevicePointers.at(src + done), n, stream),
                    "cuMemcpyDtoHAsync");
            DriverCalls.check(JCudaDriver.cuStreamSynchronize(stream),
                    "cuStreamSynchronize after a device-to-host copy");
            MemorySegment.copy(segment, 0, dst, dstOffset + done, n);
        }
    }
}

package dev.myelin.cuda.runtime;

import jcuda.driver.CUdeviceptr;

/**
 * Conversions between device addresses (plain longs, which is how storages and kernel arguments
 * hold them) and JCuda's {@link CUdeviceptr}. JCuda passes a pointer's base plus its byte offset
 * to the driver, so a null pointer offset by an address is that address.
 */
final class DevicePointers {
    private static final CUdeviceptr NULL = new CUdeviceptr();

    private DevicePointers() {}

    static CUdeviceptr at(long address) {
        return NULL.withByteOffset(address);
    }

    /** A pointer for cuMemAlloc to fill, whose address can then be read. */
    static final class Allocated extends CUdeviceptr {
        long address() {
            return getNativePointer();
        }
    }
}

// A stand-in CUDA driver (libcuda.so.1) over the kernel emulator, for running the CUDA backend's
// GPU tests without a GPU: one device whose memory is host memory (a budget makes out-of-memory
// reachable; new blocks are filled with all bits set), one context, streams and events that run everything at once, and modules whose
// kernels are the emulator's (a launch runs emu_launch over the grid). Only the driver calls
// Myelin makes are here, with the CUDA 12/13 ABI (the _v2 names cuda.h maps to); JCuda's native
// library binds lazily, so calls nobody makes need no definition.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <map>
#include <mutex>
#include <string>

#include "emulator.h"

namespace {

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

enum : CUresult {
    SUCCESS = 0,
    INVALID_VALUE = 1,
    OUT_OF_MEMORY = 2,
    INVALID_DEVICE = 101,
    NOT_FOUND = 500,
    LAUNCH_FAILED = 719,
};

constexpr size_t kTotalBytes = 512ull << 20;
constexpr int kComputeCapabilityMajor = 75, kComputeCapabilityMinor = 76;  // CUdevice_attribute values

std::mutex lock;
std::map<CUdeviceptr, size_t> allocations;
size_t allocated = 0;
std::string last_launch_error;
int context_storage, stream_storage;

struct Module {};
struct Event {
    double ms;
};

double now_ms() {
    timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

}  // namespace

extern "C" {

CUresult cuInit(unsigned int) { return SUCCESS; }

CUresult cuDriverGetVersion(int* version) {
    *version = 13000;
    return SUCCESS;
}

CUresult cuDeviceGetCount(int* count) {
    *count = 1;
    return SUCCESS;
}

CUresult cuDeviceGet(int* device, int ordinal) {
    if (ordinal != 0) return INVALID_DEVICE;
    *device = 0;
    return SUCCESS;
}

CUresult cuDeviceGetName(char* name, int length, int) {
    snprintf(name, (size_t)length, "Myelin host emulator (fake driver)");
    return SUCCESS;
}

CUresult cuDeviceTotalMem_v2(size_t* bytes, int) {
    *bytes = kTotalBytes;
    return SUCCESS;
}

CUresult cuDeviceGetAttribute(int* value, int attribute, int) {
    *value = attribute == kComputeCapabilityMajor ? 9 : attribute == kComputeCapabilityMinor ? 0 : 0;
    return SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(void** context, int) {
    *context = &context_storage;
    return SUCCESS;
}

CUresult cuCtxSetCurrent(void*) { return SUCCESS; }
CUresult cuCtxSynchronize() { return SUCCESS; }

CUresult cuStreamCreate(void** stream, unsigned int) {
    *stream = &stream_storage;
    return SUCCESS;
}

CUresult cuStreamSynchronize(void*) { return SUCCESS; }

CUresult cuMemAlloc_v2(CUdeviceptr* ptr, size_t bytes) {
    std::lock_guard<std::mutex> guard(lock);
    size_t rounded = (bytes + 255) / 256 * 256;
    if (bytes == 0) return INVALID_VALUE;
    if (allocated + rounded > kTotalBytes) return OUT_OF_MEMORY;
    void* p = aligned_alloc(256, rounded);
    if (p == nullptr) return OUT_OF_MEMORY;
    // Fresh device memory holds garbage on a GPU: all bits set (NaN, -1) makes a read before a write show.
    memset(p, 0xFF, rounded);
    *ptr = (CUdeviceptr)p;
    allocations[*ptr] = rounded;
    allocated += rounded;
    return SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr ptr) {
    std::lock_guard<std::mutex> guard(lock);
    auto found = allocations.find(ptr);
    if (found == allocations.end()) return INVALID_VALUE;
    allocated -= found->second;
    allocations.erase(found);
    free((void*)ptr);
    return SUCCESS;
}

CUresult cuMemGetInfo_v2(size_t* free_bytes, size_t* total) {
    std::lock_guard<std::mutex> guard(lock);
    *free_bytes = kTotalBytes - allocated;
    *total = kTotalBytes;
    return SUCCESS;
}

CUresult cuMemHostAlloc(void** ptr, size_t bytes, unsigned int) {
    *ptr = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
    return *ptr == nullptr ? OUT_OF_MEMORY : SUCCESS;
}

CUresult cuMemFreeHost(void* ptr) {
    free(ptr);
    return SUCCESS;
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, size_t bytes, void*) {
    memcpy((void*)dst, src, bytes);
    return SUCCESS;
}

CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, size_t bytes, void*) {
    memcpy(dst, (const void*)src, bytes);
    return SUCCESS;
}

CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes, void*) {
    memmove((void*)dst, (const void*)src, bytes);
    return SUCCESS;
}

CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t bytes, void*) {
    memset((void*)dst, value, bytes);
    return SUCCESS;
}

CUresult cuModuleLoadData(void** module, const void* image) {
    if (image == nullptr || strstr((const char*)image, ".entry") == nullptr) return INVALID_VALUE;
    *module = new Module();
    return SUCCESS;
}

// The function handle is the kernel's name; the emulator knows every kernel of every module.
CUresult cuModuleGetFunction(void** function, void*, const char* name) {
    if (!emu_has_kernel(name)) return NOT_FOUND;
    *function = strdup(name);
    return SUCCESS;
}

CUresult cuLaunchKernel(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared_bytes, void*, void** params, void**) {
    char message[1024];
    if (shared_bytes != 0) return INVALID_VALUE;  // no kernel of Myelin's takes dynamic shared memory
    if (emu_launch((const char*)function, gx, gy, gz, bx, by, bz, params, message, sizeof message) != 0) {
        std::lock_guard<std::mutex> guard(lock);
        last_launch_error = message;
        fprintf(stderr, "fake libcuda: launch of %s failed: %s\n", (const char*)function, message);
        return LAUNCH_FAILED;
    }
    return SUCCESS;
}

CUresult cuEventCreate(void** event, unsigned int) {
    *event = new Event{now_ms()};
    return SUCCESS;
}

CUresult cuEventRecord(void* event, void*) {
    ((Event*)event)->ms = now_ms();
    return SUCCESS;
}

CUresult cuEventSynchronize(void*) { return SUCCESS; }

// Work on the stand-in's stream runs when it is queued, so a recorded event is always complete.
CUresult cuEventQuery(void*) { return SUCCESS; }
CUresult cuStreamQuery(void*) { return SUCCESS; }

CUresult cuEventElapsedTime(float* ms, void* start, void* end) {
    *ms = (float)(((Event*)end)->ms - ((Event*)start)->ms);
    return SUCCESS;
}

CUresult cuEventDestroy_v2(void* event) {
    delete (Event*)event;
    return SUCCESS;
}

CUresult cuGetErrorName(CUresult error, const char** name) {
    switch (error) {
        case SUCCESS: *name = "CUDA_SUCCESS"; return SUCCESS;
        case INVALID_VALUE: *name = "CUDA_ERROR_INVALID_VALUE"; return SUCCESS;
        case OUT_OF_MEMORY: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return SUCCESS;
        case INVALID_DEVICE: *name = "CUDA_ERROR_INVALID_DEVICE"; return SUCCESS;
        case NOT_FOUND: *name = "CUDA_ERROR_NOT_FOUND"; return SUCCESS;
        case LAUNCH_FAILED: *name = "CUDA_ERROR_LAUNCH_FAILED"; return SUCCESS;
        default: *name = nullptr; return INVALID_VALUE;
    }
}

CUresult cuGetErrorString(CUresult error, const char** text) {
    return cuGetErrorName(error, text);
}

}  // extern "C"

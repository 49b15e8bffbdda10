/*
 * A stand-in libnccl.so.2 for tests without a GPU: NCCL's C signatures and argument checks, for the
 * processes of one machine under the stand-in CUDA driver (whose device pointers are host pointers).
 * The ranks of a communicator meet in a POSIX shared-memory object named from the unique id: each
 * rank copies its buffer into its slot, all wait at a process-shared barrier, each combines all slots
 * in rank order into its output (so every rank gets bit-identical results), and all wait again before
 * the slots are reused. Buffers larger than a slot go in slot-sized chunks. Every wait gives up after
 * MYELIN_FAKE_NCCL_TIMEOUT_MS (default 60000) or when a peer aborts, returning ncclRemoteError, so a
 * test never hangs. Calls run when they are made (the stand-in driver's stream is synchronous).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef enum {
    ncclSuccess = 0, ncclUnhandledCudaError = 1, ncclSystemError = 2, ncclInternalError = 3,
    ncclInvalidArgument = 4, ncclInvalidUsage = 5, ncclRemoteError = 6, ncclInProgress = 7
} ncclResult_t;
typedef enum { ncclInt8 = 0, ncclUint8 = 1, ncclInt32 = 2, ncclUint32 = 3, ncclInt64 = 4, ncclUint64 = 5,
    ncclFloat16 = 6, ncclFloat32 = 7, ncclFloat64 = 8, ncclBfloat16 = 9 } ncclDataType_t;
typedef enum { ncclSum = 0, ncclProd = 1, ncclMax = 2, ncclMin = 3, ncclAvg = 4 } ncclRedOp_t;
typedef struct { char internal[128]; } ncclUniqueId;

#define MAGIC "myelin-fake-nccl"
#define MAX_RANKS 64
#define SLOT_BYTES ((size_t)1 << 20)

/* What a rank is about to do, compared across ranks: a mismatch is the caller's bug (real NCCL hangs). */
typedef struct { int kind; int dtype; int op; int root; size_t count; } Call;

typedef struct {
    atomic_int ready;       /* rank 0 has set up the header */
    atomic_int arrived;     /* ranks at the barrier */
    atomic_int generation;  /* barrier rounds completed */
    atomic_int aborted;     /* a rank called ncclCommAbort or gave up */
    int nranks;
    Call calls[MAX_RANKS];
} Header;

typedef struct ncclComm {
    int rank, nranks;
    char name[160];
    Header* header;
    unsigned char* slots;
    size_t mapped;
    ncclResult_t asyncError;
} ncclComm;
typedef ncclComm* ncclComm_t;

static long timeout_ms(void) {
    const char* v = getenv("MYELIN_FAKE_NCCL_TIMEOUT_MS");
    long t = v ? atol(v) : 0;
    return t > 0 ? t : 60000;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void pause_briefly(void) {
    struct timespec ts = {0, 20000};
    nanosleep(&ts, NULL);
}

static int dtype_size(int dtype) {
    switch (dtype) {
        case ncclInt8: case ncclUint8: return 1;
        case ncclFloat16: case ncclBfloat16: return 2;
        case ncclInt32: case ncclUint32: case ncclFloat32: return 4;
        case ncclInt64: case ncclUint64: case ncclFloat64: return 8;
        default: return 0;
    }
}

/* A sense-reversing barrier over the shared header; fails on timeout or when a peer aborted. */
static ncclResult_t barrier(ncclComm* c) {
    Header* h = c->header;
    int gen = atomic_load(&h->generation);
    if (atomic_fetch_add(&h->arrived, 1) == c->nranks - 1) {
        atomic_store(&h->arrived, 0);
        atomic_fetch_add(&h->generation, 1);
        return atomic_load(&h->aborted) ? ncclRemoteError : ncclSuccess;
    }
    double deadline = now_ms() + timeout_ms();
    while (atomic_load(&h->generation) == gen) {
        if (atomic_load(&h->aborted) || now_ms() > deadline) {
            atomic_store(&h->aborted, 1);
            c->asyncError = ncclRemoteError;
            return ncclRemoteError;
        }
        pause_briefly();
    }
    return ncclSuccess;
}

const char* ncclGetErrorString(ncclResult_t result) {
    switch (result) {
        case ncclSuccess: return "no error";
        case ncclUnhandledCudaError: return "unhandled cuda error (run with NCCL_DEBUG=INFO for details)";
        case ncclSystemError: return "unhandled system error (run with NCCL_DEBUG=INFO for details)";
        case ncclInternalError: return "internal error - please report this issue to the NCCL developers";
        case ncclInvalidArgument: return "invalid argument (run with NCCL_DEBUG=WARN for details)";
        case ncclInvalidUsage: return "invalid usage (run with NCCL_DEBUG=WARN for details)";
        case ncclRemoteError: return "remote process exited or there was a network error";
        case ncclInProgress: return "NCCL operation in progress";
        default: return "unknown result code";
    }
}

ncclResult_t ncclGetVersion(int* version) {
    if (!version) return ncclInvalidArgument;
    *version = 22304; /* reports itself as 2.23.4 */
    return ncclSuccess;
}

ncclResult_t ncclGetUniqueId(ncclUniqueId* id) {
    static atomic_int counter;
    if (!id) return ncclInvalidArgument;
    memset(id, 0, sizeof *id);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    snprintf(id->internal, sizeof id->internal, "%s/%d-%ld-%ld-%d", MAGIC, (int)getpid(), (long)ts.tv_sec,
             ts.tv_nsec, atomic_fetch_add(&counter, 1));
    return ncclSuccess;
}

ncclResult_t ncclCommInitRank(ncclComm_t* out, int nranks, ncclUniqueId id, int rank) {
    if (!out || nranks < 1 || nranks > MAX_RANKS || rank < 0 || rank >= nranks) return ncclInvalidArgument;
    if (strncmp(id.internal, MAGIC "/", strlen(MAGIC) + 1) != 0) return ncclInvalidArgument;
    ncclComm* c = calloc(1, sizeof *c);
    if (!c) return ncclSystemError;
    c->rank = rank;
    c->nranks = nranks;
    snprintf(c->name, sizeof c->name, "/mfn-%s", id.internal + strlen(MAGIC) + 1);
    c->mapped = sizeof(Header) + (size_t)nranks * SLOT_BYTES;
    int fd = shm_open(c->name, O_CREAT | O_RDWR, 0600);
    if (fd < 0 || ftruncate(fd, (off_t)c->mapped) != 0) {
        if (fd >= 0) close(fd);
        free(c);
        return ncclSystemError;
    }
    void* p = mmap(NULL, c->mapped, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        free(c);
        return ncclSystemError;
    }
    c->header = p;
    c->slots = (unsigned char*)p + sizeof(Header);
    /* A fresh object is zeroed; rank 0 states the size, the others wait for it. */
    if (rank == 0) {
        c->header->nranks = nranks;
        atomic_store(&c->header->ready, 1);
    } else {
        double deadline = now_ms() + timeout_ms();
        while (!atomic_load(&c->header->ready)) {
            if (now_ms() > deadline) {
                munmap(p, c->mapped);
                free(c);
                return ncclRemoteError;
            }
            pause_briefly();
        }
    }
    if (c->header->nranks != nranks) {
        munmap(p, c->mapped);
        free(c);
        return ncclInvalidUsage;
    }
    ncclResult_t r = barrier(c);
    if (rank == 0) shm_unlink(c->name); /* every rank has it mapped: nothing is left behind */
    if (r != ncclSuccess) {
        munmap(p, c->mapped);
        free(c);
        return r;
    }
    *out = c;
    return ncclSuccess;
}

static ncclResult_t release(ncclComm_t c) {
    if (!c) return ncclInvalidArgument;
    munmap(c->header, c->mapped);
    free(c);
    return ncclSuccess;
}

ncclResult_t ncclCommDestroy(ncclComm_t c) { return release(c); }

ncclResult_t ncclCommAbort(ncclComm_t c) {
    if (!c) return ncclInvalidArgument;
    atomic_store(&c->header->aborted, 1);
    return release(c);
}

ncclResult_t ncclCommGetAsyncError(ncclComm_t c, ncclResult_t* error) {
    if (!c || !error) return ncclInvalidArgument;
    *error = c->asyncError;
    return ncclSuccess;
}

ncclResult_t ncclCommCount(const ncclComm_t c, int* count) {
    if (!c || !count) return ncclInvalidArgument;
    *count = c->nranks;
    return ncclSuccess;
}

ncclResult_t ncclCommUserRank(const ncclComm_t c, int* rank) {
    if (!c || !rank) return ncclInvalidArgument;
    *rank = c->rank;
    return ncclSuccess;
}

static int group_depth;
ncclResult_t ncclGroupStart(void) { group_depth++; return ncclSuccess; }
ncclResult_t ncclGroupEnd(void) { return group_depth-- > 0 ? ncclSuccess : ncclInvalidUsage; }

/* Posts this rank's call and checks, after a barrier, that every rank made the same one. */
static ncclResult_t agree(ncclComm* c, Call call) {
    c->header->calls[c->rank] = call;
    ncclResult_t r = barrier(c);
    if (r != ncclSuccess) return r;
    for (int i = 0; i < c->nranks; i++) {
        Call o = c->header->calls[i];
        if (o.kind != call.kind || o.dtype != call.dtype || o.op != call.op || o.root != call.root
                || o.count != call.count) {
            fprintf(stderr, "fake nccl: rank %d and rank %d called different collectives (count %zu vs %zu)\n",
                    c->rank, i, call.count, o.count);
            c->asyncError = ncclInvalidUsage;
            return ncclInvalidUsage;
        }
    }
    return barrier(c); /* all have compared before anyone posts its next call */
}

#define REDUCE(T) { \
    T* out = (T*)dst; \
    for (size_t i = 0; i < n; i++) { \
        T acc = ((const T*)c->slots)[i]; \
        for (int r = 1; r < c->nranks; r++) { \
            T v = ((const T*)(c->slots + (size_t)r * SLOT_BYTES))[i]; \
            acc = op == ncclMax ? (v > acc ? v : acc) : op == ncclMin ? (v < acc ? v : acc) \
                : op == ncclProd ? (T)(acc * v) : (T)(acc + v); \
        } \
        out[i] = op == ncclAvg ? (T)(acc / (T)c->nranks) : acc; \
    } }

static int combine(ncclComm* c, void* dst, size_t n, int dtype, int op) {
    switch (dtype) {
        case ncclInt8: REDUCE(int8_t) return 1;
        case ncclUint8: REDUCE(uint8_t) return 1;
        case ncclInt32: REDUCE(int32_t) return 1;
        case ncclUint32: REDUCE(uint32_t) return 1;
        case ncclInt64: REDUCE(int64_t) return 1;
        case ncclUint64: REDUCE(uint64_t) return 1;
        case ncclFloat32: REDUCE(float) return 1;
        case ncclFloat64: REDUCE(double) return 1;
        default: return 0; /* half types: not in the stand-in */
    }
}

ncclResult_t ncclAllReduce(const void* send, void* recv, size_t count, ncclDataType_t dtype, ncclRedOp_t op,
                           ncclComm_t c, void* stream) {
    (void)stream;
    int size = dtype_size(dtype);
    if (!c || size == 0 || dtype == ncclFloat16 || dtype == ncclBfloat16 || op < ncclSum || op > ncclAvg
            || (count > 0 && (!send || !recv))) {
        return ncclInvalidArgument;
    }
    ncclResult_t r = agree(c, (Call){1, dtype, op, -1, count});
    if (r != ncclSuccess) return r;
    size_t per_chunk = SLOT_BYTES / size;
    unsigned char* tmp = malloc(SLOT_BYTES);
    if (!tmp) return ncclSystemError;
    for (size_t done = 0; done < count && r == ncclSuccess; done += per_chunk) {
        size_t n = count - done < per_chunk ? count - done : per_chunk;
        memcpy(c->slots + (size_t)c->rank * SLOT_BYTES, (const unsigned char*)send + done * size, n * size);
        if ((r = barrier(c)) != ncclSuccess) break;
        combine(c, tmp, n, dtype, op);
        if ((r = barrier(c)) != ncclSuccess) break; /* all have read the slots before they are refilled */
        memcpy((unsigned char*)recv + done * size, tmp, n * size);
    }
    free(tmp);
    return r;
}

ncclResult_t ncclBroadcast(const void* send, void* recv, size_t count, ncclDataType_t dtype, int root,
                           ncclComm_t c, void* stream) {
    (void)stream;
    int size = dtype_size(dtype);
    if (!c || size == 0 || root < 0 || root >= c->nranks || (count > 0 && !recv)
            || (count > 0 && c->rank == root && !send)) {
        return ncclInvalidArgument;
    }
    ncclResult_t r = agree(c, (Call){2, dtype, -1, root, count});
    if (r != ncclSuccess) return r;
    size_t per_chunk = SLOT_BYTES / size;
    for (size_t done = 0; done < count && r == ncclSuccess; done += per_chunk) {
        size_t n = count - done < per_chunk ? count - done : per_chunk;
        if (c->rank == root) memcpy(c->slots, (const unsigned char*)send + done * size, n * size);
        if ((r = barrier(c)) != ncclSuccess) break;
        if (c->rank != root || recv != send) memmove((unsigned char*)recv + done * size, c->slots, n * size);
        r = barrier(c);
    }
    return r;
}

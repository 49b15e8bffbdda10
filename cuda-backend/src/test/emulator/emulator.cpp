// The kernel emulator's runtime: runs one launch of a kernel compiled for the host (cuda_host.h)
// block by block, each thread of a block a fiber on its own stack. A fiber runs until it finishes
// or reaches a barrier (__syncthreads, or a warp shuffle's exchange); when every fiber waits, the
// scheduler releases the barrier they all reached. Warps release on their own: a shuffle waits
// only for the live lanes of its warp. Sweeps alternate direction from launch to launch. Barriers that cannot be released (threads of a block at
// different barriers, a shuffle reading a lane that exited) are reported as errors, because on a
// GPU they are undefined behaviour. Not thread-safe: one launch at a time (a mutex makes sure).
//
// x86-64 only: the fiber switch is six pushes, a stack swap and six pops.
#include "emulator.h"

#include <stdio.h>
#include <stdlib.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cuda_host.h"

extern "C" void emu_switch(void** save_sp, void* to_sp);
asm(R"(
    .text
    .globl emu_switch
    .type emu_switch, @function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");

namespace emu {

uint3 block_idx, block_dim, grid_dim;

namespace {

constexpr size_t kStackBytes = 256 * 1024;
constexpr int kWarp = 32;
constexpr int kMaxThreads = 1024;

enum class State { Ready, AtBlockBarrier, AtWarpBarrier, Done };

struct Fiber {
    void* sp = nullptr;
    State state = State::Ready;
    uint3 tid{};
    unsigned long long exchange = 0;
    char* stack = nullptr;
};

std::map<std::string, Entry>& registry() {
    static std::map<std::string, Entry> entries;
    return entries;
}

std::mutex launch_lock;
std::vector<Fiber> fibers;
int current = -1;
void* scheduler_sp = nullptr;
Entry running = nullptr;
void** running_args = nullptr;
int block_threads = 0;
// Every other launch sweeps its threads from the last to the first, so that a kernel whose result
// depends on the order threads run between two barriers (a missing __syncthreads) is caught by
// whichever order breaks it.
bool reverse_sweep = false;
std::string error;

void fail(const std::string& message) {
    if (error.empty()) error = message;
}

std::string where() {
    char buf[96];
    const Fiber& f = fibers[current];
    snprintf(buf, sizeof buf, "block (%u,%u,%u) thread (%u,%u,%u)", block_idx.x, block_idx.y, block_idx.z, f.tid.x,
             f.tid.y, f.tid.z);
    return buf;
}

void wait(State barrier) {
    Fiber& f = fibers[current];
    f.state = barrier;
    emu_switch(&f.sp, scheduler_sp);
}

[[noreturn]] void fiber_main() {
    running(running_args);
    Fiber& f = fibers[current];
    f.state = State::Done;
    emu_switch(&f.sp, scheduler_sp);
    abort();  // a finished fiber is never resumed
}

void start(Fiber& f) {
    if (f.stack == nullptr) f.stack = static_cast<char*>(aligned_alloc(64, kStackBytes));
    // emu_switch pops six registers and returns: lay out zeros and fiber_main's address so that
    // fiber_main starts with the stack aligned as after a call (rsp = 8 mod 16).
    void** sp = reinterpret_cast<void**>(f.stack + kStackBytes - 64);
    for (int i = 0; i < 6; i++) sp[i] = nullptr;
    sp[6] = reinterpret_cast<void*>(&fiber_main);
    f.sp = sp;
    f.state = State::Ready;
}

// Releases one barrier that every live thread it concerns has reached; false if none can be.
bool release(int threads) {
    bool released = false;
    for (int w = 0; w < threads; w += kWarp) {
        int end = w + kWarp < threads ? w + kWarp : threads;
        bool all = true, any = false;
        for (int i = w; i < end; i++) {
            if (fibers[i].state == State::Done) continue;
            any = true;
            all = all && fibers[i].state == State::AtWarpBarrier;
        }
        if (any && all) {
            for (int i = w; i < end; i++) if (fibers[i].state != State::Done) fibers[i].state = State::Ready;
            released = true;
        }
    }
    if (released) return true;
    for (int i = 0; i < threads; i++) {
        if (fibers[i].state != State::Done && fibers[i].state != State::AtBlockBarrier) return false;
    }
    for (int i = 0; i < threads; i++) if (fibers[i].state != State::Done) fibers[i].state = State::Ready;
    return true;
}

void run_block(int threads) {
    for (int i = 0; i < threads; i++) {
        Fiber& f = fibers[i];
        f.tid = uint3{(unsigned)(i % block_dim.x), (unsigned)(i / block_dim.x % block_dim.y),
                      (unsigned)(i / (block_dim.x * block_dim.y))};
        start(f);
    }
    for (;;) {
        bool live = false;
        for (int k = 0; k < threads; k++) {
            int i = reverse_sweep ? threads - 1 - k : k;
            if (fibers[i].state == State::Ready) {
                current = i;
                emu_switch(&scheduler_sp, fibers[i].sp);
            }
            live = live || fibers[i].state != State::Done;
        }
        if (!live) return;
        if (!release(threads)) {
            int at_block = 0, at_warp = 0;
            for (int i = 0; i < threads; i++) {
                at_block += fibers[i].state == State::AtBlockBarrier;
                at_warp += fibers[i].state == State::AtWarpBarrier;
            }
            char buf[200];
            snprintf(buf, sizeof buf,
                     "deadlock in block (%u,%u,%u): %d threads wait at __syncthreads, %d at a warp shuffle whose warp "
                     "is split (divergent barrier)", block_idx.x, block_idx.y, block_idx.z, at_block, at_warp);
            fail(buf);
            return;
        }
    }
}

}  // namespace

const uint3& thread_idx() {
    return fibers[current].tid;
}

int lane_id() {
    const uint3& t = fibers[current].tid;
    return (int)((t.x + t.y * block_dim.x + t.z * block_dim.x * block_dim.y) % kWarp);
}

void syncthreads() {
    wait(State::AtBlockBarrier);
}

unsigned long long warp_exchange(unsigned long long bits, int src_lane) {
    Fiber& self = fibers[current];
    self.exchange = bits;
    wait(State::AtWarpBarrier);  // every live lane has stored its value
    size_t src = (size_t)(current - current % kWarp + src_lane);
    unsigned long long got = bits;
    if (src_lane < 0 || src_lane >= kWarp || (int)src >= block_threads || fibers[src].state == State::Done) {
        fail("warp shuffle at " + where() + " reads lane " + std::to_string(src_lane) + ", which has exited or does not exist");
    } else {
        got = fibers[src].exchange;
    }
    wait(State::AtWarpBarrier);  // every lane has read before anyone stores again
    return got;
}

Registrar::Registrar(const char* name, Entry entry) {
    registry()[name] = entry;
}

}  // namespace emu

using namespace emu;

extern "C" int emu_launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                          unsigned bz, void** args, char* message, size_t message_bytes) {
    std::lock_guard<std::mutex> guard(launch_lock);
    error.clear();
    auto found = registry().find(name);
    unsigned long long threads = (unsigned long long)bx * by * bz;
    if (found == registry().end()) {
        fail(std::string("no kernel named '") + name + "' was compiled into the emulator");
    } else if (threads == 0 || threads > kMaxThreads || gx == 0 || gy == 0 || gz == 0) {
        char buf[160];
        snprintf(buf, sizeof buf, "invalid launch configuration: grid (%u,%u,%u), block (%u,%u,%u)", gx, gy, gz, bx, by, bz);
        fail(buf);
    } else {
        running = found->second;
        running_args = args;
        reverse_sweep = !reverse_sweep;
        grid_dim = uint3{gx, gy, gz};
        block_dim = uint3{bx, by, bz};
        block_threads = (int)threads;
        if (fibers.size() < threads) fibers.resize(threads);
        for (unsigned z = 0; z < gz && error.empty(); z++)
            for (unsigned y = 0; y < gy && error.empty(); y++)
                for (unsigned x = 0; x < gx && error.empty(); x++) {
                    block_idx = uint3{x, y, z};
                    run_block((int)threads);
                }
    }
    if (error.empty()) return 0;
    snprintf(message, message_bytes, "%s", error.c_str());
    return 1;
}

extern "C" int emu_has_kernel(const char* name) {
    return registry().count(name) != 0;
}

extern "C" int emu_kernel_count() {
    return (int)registry().size();
}

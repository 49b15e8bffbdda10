// The kernel emulator's interface: each emulated module registers its extern "C" kernels by name
// (EMU_ENTRY), and emu_launch runs one of them over a grid with cuLaunchKernel's argument
// convention (an array of pointers to each parameter's value).
#pragma once

#include <stddef.h>

#include <type_traits>
#include <utility>

namespace emu {

using Entry = void (*)(void** args);

struct Registrar {
    Registrar(const char* name, Entry entry);
};

// Calls kernel f with the parameters that args points at, each read as f declares it.
template <typename... P, size_t... I>
void call(void (*f)(P...), void** args, std::index_sequence<I...>) {
    f(*static_cast<std::decay_t<P>*>(args[I])...);
}

template <typename... P>
void call(void (*f)(P...), void** args) {
    call(f, args, std::index_sequence_for<P...>{});
}

}  // namespace emu

#define EMU_ENTRY(name) static emu::Registrar emu_entry_##name(#name, [](void** args) { emu::call(&name, args); });

extern "C" int emu_launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                          unsigned bz, void** args, char* message, size_t message_bytes);
extern "C" int emu_has_kernel(const char* name);
extern "C" int emu_kernel_count();

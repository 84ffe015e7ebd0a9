// Stack high-water mark on the target: paint the stack below the caller with a pattern, run fn,
// find the deepest word it overwrote. Bare metal only (one stack, no interrupts using it).
#pragma once
#include <cstddef>

namespace qemu {

constexpr size_t kPaintedBytes = 32 * 1024;

// Bytes of stack fn used below the caller's stack pointer (its call included), or 0 when it went
// past the painted region (the measurement is then a lower bound: kPaintedBytes).
size_t stackHighWater(void (*fn)(void*), void* arg);

// Calls f (a lambda) through stackHighWater.
template <typename F>
size_t stackHighWaterOf(F& f) {
  return stackHighWater([](void* p) { (*static_cast<F*>(p))(); }, &f);
}

}  // namespace qemu

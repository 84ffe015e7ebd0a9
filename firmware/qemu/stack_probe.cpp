#include "stack_probe.h"

#include <cstdint>

namespace qemu {

namespace {
constexpr uint32_t kPaint = 0xC0FFEE5Au;
}

// noinline and no calls between painting and fn: nothing else writes below sp meanwhile.
__attribute__((noinline)) size_t stackHighWater(void (*fn)(void*), void* arg) {
  uintptr_t sp;
  asm volatile("mov %0, sp" : "=r"(sp));
  constexpr size_t kWords = kPaintedBytes / sizeof(uint32_t);
  volatile uint32_t* const top = reinterpret_cast<volatile uint32_t*>(sp);
  volatile uint32_t* const bottom = top - kWords;
  for (volatile uint32_t* p = bottom; p < top; ++p) *p = kPaint;
  fn(arg);
  if (*bottom != kPaint) return 0;
  volatile uint32_t* p = bottom;
  while (p < top && *p == kPaint) ++p;
  return static_cast<size_t>(reinterpret_cast<uintptr_t>(top) - reinterpret_cast<uintptr_t>(p));
}

}  // namespace qemu

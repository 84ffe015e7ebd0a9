// The core's doctest cases on a 32-bit Cortex-M3 under QEMU (qemu.mk). Output, arguments and the
// exit code go through semihosting; no POSIX signals or threads on bare metal.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <ctime>

int main(int argc, char** argv) {
  std::printf("core tests on a 32-bit target: sizeof(void*) %u, size_t %u, long %u, time_t %u, int64_t alignment %u\n",
              unsigned(sizeof(void*)), unsigned(sizeof(size_t)), unsigned(sizeof(long)), unsigned(sizeof(std::time_t)),
              unsigned(alignof(int64_t)));
  doctest::Context ctx;
  ctx.setOption("no-colors", true);
  // Exhaustive loops that take minutes under emulation; the host runs them (make unit), and the
  // code they loop over is what the other cases run here. "--test-case-exclude=" runs them too.
  ctx.addFilter("test-case-exclude",
                "*then again at every step of the recovery,*the hello repeats after 10*,"
                "update vectors: flipping any single bit*");
  ctx.applyCommandLine(argc, argv);
  return ctx.run();
}

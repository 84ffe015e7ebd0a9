// The core's doctest cases on a 32-bit Cortex-M3 under QEMU (qemu.mk). Output and exit code go
// to the host through semihosting; no POSIX signals or threads on bare metal.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

int main(int argc, char** argv) {
  doctest::Context ctx;
  ctx.applyCommandLine(argc, argv);
  return ctx.run();
}

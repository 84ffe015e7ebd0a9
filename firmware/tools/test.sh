#!/bin/sh
# `npm run test:firmware`: the host unit tests, the virtual-lock smoke test, the fuzz smoke and the
# core's tests on a 32-bit Cortex-M3 under QEMU (qemu/qemu.mk).
# Missing Debian packages skip them with the reason on a developer's machine and fail them in CI.
# `--build-only`: compile and stop, quietly skipping what cannot be built (`npm test` runs that at low
# priority beside the api's tests; the real run after it reports, and finds the binaries made).
set -e
cd "$(dirname "$0")/.."
build_only=${1:-}
if ! reason=$(make -s deps deps-fuzz 2>&1 >/dev/null); then
  [ "$build_only" = "--build-only" ] && exit 0
  if [ "${CI:-}" = "true" ]; then
    echo "$reason" >&2
    exit 1
  fi
  printf 'firmware tests SKIPPED:\n%s\n' "$reason" >&2
  exit 0
fi
# The 32-bit target has its own toolchain and the same rule: skipped with the reason, failed in CI.
qemu_target=build/qemu/core-tests.elf
if ! qemu_reason=$(make -s deps-qemu 2>&1 >/dev/null); then
  if [ "${CI:-}" = "true" ] && [ "$build_only" != "--build-only" ]; then
    echo "$qemu_reason" >&2
    exit 1
  fi
  [ "$build_only" = "--build-only" ] || printf 'firmware tests on the 32-bit target SKIPPED:\n%s\n' "$qemu_reason" >&2
  qemu_target=
fi
# Compiling is most of the time and each object is its own job: all cores for that. The tests then
# run one after another as before, so their output reads in the same order.
if [ "$build_only" = "--build-only" ]; then
  # Not the virtual lock: the api's tests build that one meanwhile, under their own lock file.
  exec make -j"$(nproc)" --output-sync=target build/unit-tests build/fuzz-codec $qemu_target
fi
make -j"$(nproc)" --output-sync=target build/unit-tests build/virtual-lock build/fuzz-codec $qemu_target
if [ -n "$qemu_target" ]; then make qemu; fi
exec make test fuzz

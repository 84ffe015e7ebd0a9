#!/bin/sh
# `npm run test:firmware`: the host unit tests, the virtual-lock smoke test, the fuzz smoke and the
# core's tests on a 32-bit Cortex-M3 under QEMU (qemu/qemu.mk).
# Missing Debian packages skip them with the reason on a developer's machine and fail them in CI.
set -e
cd "$(dirname "$0")/.."
if ! reason=$(make -s deps deps-fuzz 2>&1 >/dev/null); then
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
  if [ "${CI:-}" = "true" ]; then
    echo "$qemu_reason" >&2
    exit 1
  fi
  printf 'firmware tests on the 32-bit target SKIPPED:\n%s\n' "$qemu_reason" >&2
  qemu_target=
fi
# Compiling is most of the time and each object is its own job: all cores for that. The tests then
# run one after another as before, so their output reads in the same order.
make -j"$(nproc)" --output-sync=target build/unit-tests build/virtual-lock build/fuzz-codec $qemu_target
if [ -n "$qemu_target" ]; then make qemu; fi
exec make test fuzz

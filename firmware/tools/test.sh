#!/bin/sh
# `npm run test:firmware`: the host unit tests, the virtual-lock smoke test and the fuzz smoke.
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
# Compiling is most of the time and each object is its own job: all cores for that. The tests then
# run one after another as before, so their output reads in the same order.
make -j"$(nproc)" --output-sync=target build/unit-tests build/virtual-lock build/fuzz-codec
exec make test fuzz

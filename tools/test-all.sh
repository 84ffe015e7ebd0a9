#!/bin/sh
# `npm test`: lint, types, build, then every suite, arranged so that a 2-core machine (CI's) is
# kept busy: `.ci/run` has 30 minutes.
set -u
cd "$(dirname "$0")/.."

# eslint and tsc each use one core: side by side.
npm run lint &
lint=$!
npm run typecheck
typecheck=$?
wait "$lint"
lint=$?
[ "$typecheck" -eq 0 ] && [ "$lint" -eq 0 ] || exit 1
npm run build || exit 1

# The firmware's test binaries compile at the lowest priority while the api's and the app's tests
# run: those mostly wait on brokers, child processes and browsers, and keep the cores they ask for.
mkdir -p firmware/build
nice -n 19 sh firmware/tools/test.sh --build-only >firmware/build/early-build.log 2>&1 &
early=$!
npm run test --workspaces --if-present
suites=$?
# A failed early build is not reported here: the step below builds again and shows its errors.
wait "$early"
[ "$suites" -eq 0 ] || exit "$suites"
npm run test:firmware

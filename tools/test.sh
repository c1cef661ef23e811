#!/usr/bin/env bash
# Builds and tests everything, as CI does:
#   1. bazel test //...   (builds every target, runs every test)
#   2. the example consumer workspace, examples/consumer, which uses this
#      repository as an external dependency: bazel run //:consumer
#   3. with --sanitizers: the tests again under --config=asan, ubsan and tsan.
# Stops at the first failure. On success it ends with "test.sh: N passed,
# 0 failed", N counting every test run of every configuration.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: tools/test.sh [--sanitizers]"
sanitizers=false
for arg in "$@"; do
  case "$arg" in
    --sanitizers) sanitizers=true ;;
    -h | --help) echo "$usage"; exit 0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done

tools/setup.sh

passed=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# bazel test with the given flags; counts the passed tests.
bazel_test() {
  echo "+ bazel test $* //..." | tr -s ' '
  bazel test "$@" //... 2>&1 | tee "$log"
  passed=$((passed + $(grep -c ' PASSED in ' "$log" || true)))
}

bazel_test
echo "+ (cd examples/consumer && bazel run //:consumer)"
(cd examples/consumer && bazel run //:consumer)
passed=$((passed + 1))

if $sanitizers; then
  for config in asan ubsan tsan; do
    bazel_test --config="$config"
  done
fi

echo "test.sh: $passed passed, 0 failed"

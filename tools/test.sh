#!/usr/bin/env bash
# Builds and tests everything, as CI does:
#   1. buildifier: every tracked BUILD, WORKSPACE and .bzl file (the consumer
#      workspace's too) is formatted and has no lint warnings
#   2. bazel test //...                 with GCC (builds every target, runs
#                                       every test)
#   3. bazel test --config=clang //...  the same with Clang 14, whose
#      -Wthread-safety checks the ABSL_GUARDED_BY annotations (.bazelrc);
#      it has its own output directory, so neither pass rebuilds the other's
#      objects, though each switch re-runs the C++ toolchain configuration
#   4. the example consumer workspace, examples/consumer, which uses this
#      repository as an external dependency: bazel run //:consumer
#   5. with --sanitizers: the tests again under --config=asan, ubsan and tsan
#      (GCC).
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

# The files buildifier formats: Bazel's, by name. Tracked ones only, so that
# someone's unfinished new package does not fail everyone's run.
starlark_files() {
  git ls-files | grep -E '(^|/)(BUILD|WORKSPACE)(\.bazel)?$|\.bzl$' |
    while read -r file; do
      if [[ -e "$file" ]]; then echo "$file"; fi
    done
}
echo "+ buildifier -mode=check -lint=warn <tracked BUILD, WORKSPACE and .bzl files>"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(starlark_files)
else
  files=(-r .)  # Not a git checkout (an exported tree): everything.
fi
if [[ ${#files[@]} -eq 0 ]]; then
  echo "test.sh: no BUILD files found: run it from a taskqueue checkout" >&2
  exit 1
fi
if ! buildifier -mode=check -lint=warn "${files[@]}"; then
  echo "test.sh: buildifier: the file(s) named above are not formatted" \
    "(\"# reformat\") or have lint warnings; fix them with" \
    "buildifier -mode=fix -lint=fix FILE (and by hand where it cannot)" >&2
  exit 1
fi

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
bazel_test --config=clang
echo "+ (cd examples/consumer && bazel run //:consumer)"
(cd examples/consumer && bazel run //:consumer)
passed=$((passed + 1))

if $sanitizers; then
  for config in asan ubsan tsan; do
    bazel_test --config="$config"
  done
fi

echo "test.sh: $passed passed, 0 failed"

#!/usr/bin/env bash
# Before/after: builds //bench:pool_bench (--config=opt) at two revisions and
# runs the two binaries alternately, so that whatever else the machine does
# hits both alike, then prints the medians side by side
# (tools/bench_compare.py):
#
#   tools/compare_benchmarks.sh [--runs K] [--repetitions R] [--filter REGEX]
#                               BEFORE [AFTER]
#
# BEFORE and AFTER are git revisions; AFTER defaults to the working tree as it
# is (uncommitted changes included). Each revision is built in its own
# worktree under $TMPDIR, which is removed afterwards. Defaults: 5 runs of
# each, 3 repetitions per run, the taskqueue rows of every scenario.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: tools/compare_benchmarks.sh [--runs K] [--repetitions R] [--filter REGEX] BEFORE [AFTER]"
runs=5
repetitions=3
filter='/taskqueue/'
revisions=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --repetitions) repetitions="$2"; shift 2 ;;
    --filter) filter="$2"; shift 2 ;;
    -h | --help) echo "$usage"; exit 0 ;;
    -*) echo "$usage" >&2; exit 2 ;;
    *) revisions+=("$1"); shift ;;
  esac
done
if [[ ${#revisions[@]} -lt 1 || ${#revisions[@]} -gt 2 ]]; then
  echo "$usage" >&2
  exit 2
fi

work="$(mktemp -d)"
worktrees=()
cleanup() {
  for tree in "${worktrees[@]}"; do git worktree remove --force "$tree"; done
  rm -rf "$work"
}
trap cleanup EXIT

# Builds the benchmark at revision $1 (or the working tree, for "") and
# copies the binary to $2.
build() {
  local revision="$1" binary="$2" tree=.
  if [[ -n "$revision" ]]; then
    tree="$work/tree-$(basename "$binary")"
    git worktree add --detach "$tree" "$revision" >/dev/null
    worktrees+=("$tree")
  fi
  (cd "$tree" && bazel build --config=opt //bench:pool_bench >&2)
  cp "$tree/bazel-bin/bench/pool_bench" "$binary"
}

build "${revisions[0]}" "$work/before"
build "${revisions[1]:-}" "$work/after"

for ((run = 1; run <= runs; run++)); do
  for side in before after; do
    echo "run $run/$runs: $side" >&2
    "$work/$side" --benchmark_filter="$filter" \
      --benchmark_repetitions="$repetitions" \
      --benchmark_enable_random_interleaving=true \
      --benchmark_out="$work/$side-$run.json" \
      --benchmark_out_format=json >/dev/null
  done
done
python3 tools/bench_compare.py --before "$work"/before-*.json \
  --after "$work"/after-*.json

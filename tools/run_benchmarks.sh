#!/usr/bin/env bash
# Runs the benchmark suite (//bench:pool_bench, built with --config=opt) and
# writes the results table:
#
#   tools/run_benchmarks.sh [options] [OUT_DIR]
#
#   OUT_DIR/results/<date>[-<k>].json  Google Benchmark's JSON, one per run
#   OUT_DIR/RESULTS.md                 the table (tools/bench_table.py)
#
# OUT_DIR defaults to bench/, where the reference results live. Options:
#   --runs K          run the whole suite K times (default 1); the targets
#                     table quotes each run, the full table is the first's
#   --repetitions R   repetitions of every benchmark, randomly interleaved,
#                     medians reported (default 5)
#   --wait-quiet      first wait (up to 10 minutes) for the 1-minute load
#                     average to drop below 0.7; the load is recorded anyway
#   --filter REGEX    only these benchmarks (--benchmark_filter)
#   --smoke           tiny sizes: checks the pipeline, the numbers mean nothing
#
# The full suite takes about 3 minutes per run at 5 repetitions. The machine
# should be otherwise idle: every peer runs in the same binary, interleaved,
# so noise hits them alike, but it still widens the spread.
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: tools/run_benchmarks.sh [--runs K] [--repetitions R] [--wait-quiet] [--filter REGEX] [--smoke] [OUT_DIR]"
runs=1
repetitions=5
wait_quiet=false
filter=""
smoke=()
out_dir="bench"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --repetitions) repetitions="$2"; shift 2 ;;
    --wait-quiet) wait_quiet=true; shift ;;
    --filter) filter="$2"; shift 2 ;;
    --smoke) smoke=(--smoke); shift ;;
    -h | --help) echo "$usage"; exit 0 ;;
    -*) echo "$usage" >&2; exit 2 ;;
    *) out_dir="$1"; shift ;;
  esac
done

tools/setup.sh

# Build, then run a copy of the binary: `bazel run` would work too, but the
# copy cannot change under the run when someone else builds meanwhile, and
# no Bazel server is involved while it measures.
bazel build --config=opt //bench:pool_bench
bin_dir="$(bazel info --config=opt bazel-bin)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$bin_dir/bench/pool_bench" "$work/pool_bench"

load1() { cut -d' ' -f1 /proc/loadavg; }
if $wait_quiet; then
  for _ in $(seq 60); do
    if python3 -c "import sys; sys.exit(0 if float('$(load1)') < 0.7 else 1)"; then
      break
    fi
    echo "run_benchmarks.sh: load average $(load1), waiting for < 0.7"
    sleep 10
  done
fi

mkdir -p "$out_dir/results"
date="$(date -u +%F)"
jsons=()
loads=()
for k in $(seq "$runs"); do
  json="$out_dir/results/$date.json"
  if [[ "$runs" -gt 1 ]]; then json="$out_dir/results/$date-$k.json"; fi
  loads+=("$(cut -d' ' -f1-3 /proc/loadavg)")
  echo "run_benchmarks.sh: run $k of $runs -> $json (load ${loads[-1]})"
  args=(
    "${smoke[@]}"
    --benchmark_repetitions="$repetitions"
    --benchmark_enable_random_interleaving=true
    --benchmark_display_aggregates_only=true
    --benchmark_counters_tabular=true
    --benchmark_out="$json"
    --benchmark_out_format=json
  )
  if [[ -n "$filter" ]]; then args+=(--benchmark_filter="$filter"); fi
  "$work/pool_bench" "${args[@]}"
  jsons+=("$json")
done

version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
meta=(
  --meta "kernel=$(uname -r), nproc $(nproc)"
  --meta "packages=g++ $(version g++), libcaf-dev $(version libcaf-dev), libboost-dev $(version libboost-dev), libtbb-dev $(version libtbb-dev), libconcurrentqueue-dev $(version libconcurrentqueue-dev), libbenchmark-dev $(version libbenchmark-dev)"
  --meta "load average (1, 5, 15 min) before each run=$(printf '%s; ' "${loads[@]}" | sed 's/; $//')"
  --meta "command=tools/run_benchmarks.sh --runs $runs --repetitions $repetitions${smoke:+ --smoke}${filter:+ --filter $filter} (bazel --config=opt, $repetitions repetitions randomly interleaved, medians)"
)
python3 tools/bench_table.py "${meta[@]}" "${jsons[@]}" >"$out_dir/RESULTS.md"
echo "run_benchmarks.sh: wrote $out_dir/RESULTS.md and ${jsons[*]}"

#!/usr/bin/env bash
# Runs pool_bench (the path in $1) at smoke sizes and checks that every
# scenario produced a result. Not a timed test: no number is checked.
set -euo pipefail
bench="$1"
out="${TEST_TMPDIR:-$(mktemp -d)}/smoke.json"
"$bench" --smoke --benchmark_out="$out" --benchmark_out_format=json \
  --benchmark_counters_tabular=true
for scenario in throughput add_cost join_back_to_back join_after_idle \
  many_producers memory blocking long_then_short task_options; do
  if ! grep -q "\"name\": \"$scenario/taskqueue/" "$out"; then
    echo "pool_bench_smoke_test: no $scenario result for taskqueue" >&2
    exit 1
  fi
done
if grep -q '"error_occurred": true' "$out"; then
  echo "pool_bench_smoke_test: a benchmark reported an error" >&2
  exit 1
fi
echo "pool_bench_smoke_test: every scenario ran"

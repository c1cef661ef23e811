#!/usr/bin/env bash
# Runs pages_bench (the path in $1) over a small journal and checks that
# every benchmark produced a result without error. Not a timed test: no
# number is checked.
set -euo pipefail
bench="$1"
out="${TEST_TMPDIR:-$(mktemp -d)}/pages.json"
"$bench" --smoke --benchmark_min_time=0.01 --benchmark_out="$out" \
  --benchmark_out_format=json
for name in BM_TaskPage/0 BM_TaskPage/1 BM_TaskPage/2 BM_TaskPage/3 \
  BM_TaskPage/4 BM_TaskDetail BM_Status BM_Metrics BM_Dashboard; do
  if ! grep -q "\"name\": \"$name" "$out"; then
    echo "pages_bench_smoke_test: no $name result" >&2
    exit 1
  fi
done
if grep -q '"error_occurred": true' "$out"; then
  echo "pages_bench_smoke_test: a benchmark reported an error" >&2
  exit 1
fi
echo "pages_bench_smoke_test: every benchmark ran"

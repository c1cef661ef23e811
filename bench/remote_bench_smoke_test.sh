#!/usr/bin/env bash
# Runs remote_bench (the path in $1) briefly and checks that every benchmark
# produced a result without error: the node and echo processes start, connect
# and are stopped. Not a timed test: no number is checked. Under TSan ($2 is
# "tsan") the raw CAF peers are left out: CAF's uninstrumented scheduler in
# the echo process reports races that are not ours.
set -euo pipefail
bench="$1"
names=(BM_LocalQueue BM_RemoteQueue BM_RemoteRoundTrip BM_IdleCpu)
filter="."
if [[ "${2:-}" == tsan ]]; then
  filter="^BM_(Local|Remote|Idle)"
else
  names+=(BM_RawCafSingle BM_RawCafBatched BM_RawCafRequest)
fi
out="${TEST_TMPDIR:-$(mktemp -d)}/remote.json"
"$bench" --smoke --benchmark_min_time=0.01 --benchmark_filter="$filter" \
  --benchmark_out="$out" --benchmark_out_format=json
for name in "${names[@]}"; do
  if ! grep -q "\"name\": \"$name" "$out"; then
    echo "remote_bench_smoke_test: no $name result" >&2
    exit 1
  fi
done
if grep -q '"error_occurred": true' "$out"; then
  echo "remote_bench_smoke_test: a benchmark reported an error" >&2
  exit 1
fi
echo "remote_bench_smoke_test: every benchmark ran"

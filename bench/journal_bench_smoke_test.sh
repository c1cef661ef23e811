#!/usr/bin/env bash
# Runs journal_bench (the path in $1) briefly and checks that every benchmark
# produced a result without error. Not a timed test: no number is checked.
set -euo pipefail
bench="$1"
out="${TEST_TMPDIR:-$(mktemp -d)}/journal.json"
"$bench" --smoke --benchmark_min_time=0.01 --benchmark_out="$out" \
  --benchmark_out_format=json
for name in BM_SqliteSingleRowCommit BM_SqliteBatchedCommit \
  BM_JournalCommitEach BM_JournalGroupCommit BM_InMemoryQueueAdd; do
  if ! grep -q "\"name\": \"$name" "$out"; then
    echo "journal_bench_smoke_test: no $name result" >&2
    exit 1
  fi
done
if grep -q '"error_occurred": true' "$out"; then
  echo "journal_bench_smoke_test: a benchmark reported an error" >&2
  exit 1
fi
echo "journal_bench_smoke_test: every benchmark ran"

#!/usr/bin/env bash
# Runs server_bench (the path in $1) with --smoke and checks that every
# benchmark produced a result without error: the server serves, and the peer
# queues (redis-server, Celery and RQ workers, all started and stopped by
# bench/peers/peer_queue.py) run their tasks. Not a timed test: no number is
# checked.
set -euo pipefail
bench="$1"
out="${TEST_TMPDIR:-$(mktemp -d)}/server.json"
"$bench" --smoke --benchmark_out="$out" --benchmark_out_format=json
for name in BM_ServerAdd/threads:1/batch:1 BM_ServerAdd/threads:16/batch:1 \
  BM_ServerAdd/threads:1/batch:100 BM_ServerAdd/threads:4/batch:100 \
  BM_ServerEndToEnd/threads:1/batch:1 BM_ServerEndToEnd/threads:16/batch:1 \
  BM_ServerEndToEnd/threads:1/batch:100 BM_ServerEndToEnd/threads:4/batch:100 \
  BM_SqliteInsert/rows_per_commit:1 BM_SqliteInsert/rows_per_commit:100 \
  BM_InMemoryQueueAdd BM_Celery BM_Rq; do
  if ! grep -q "\"name\": \"$name" "$out"; then
    echo "server_bench_smoke_test: no $name result" >&2
    exit 1
  fi
done
if grep -q '"error_occurred": true' "$out"; then
  echo "server_bench_smoke_test: a benchmark reported an error" >&2
  exit 1
fi
if pgrep -f "peer_queue.py|celery -A peer_tasks|rq worker" > /dev/null; then
  echo "server_bench_smoke_test: a peer process was left running" >&2
  exit 1
fi
echo "server_bench_smoke_test: every benchmark ran"

#!/usr/bin/env bash
# The README's few commands, for real: the stock server (no local workers),
# a producer that adds tasks and exits before any runs, a worker node that
# joins later and runs them, and taskqueue_ctl that sees them completed.
# Arguments: the paths of queue_server, demo_producer, demo_node and
# taskqueue_ctl. Every process it starts is stopped on exit.
set -euo pipefail
server_bin="$1" producer_bin="$2" node_bin="$3" ctl_bin="$4"
dir="${TEST_TMPDIR:-$(mktemp -d)}/demo"
rm -rf "$dir" && mkdir -p "$dir"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
}
trap cleanup EXIT
# How many tasks a `taskqueue_ctl list --json` output holds.
count_ids() { { grep -o '"id":' "$1" || true; } | wc -l; }
fail() {
  echo "demo_commands_test: $*" >&2
  for log in "$dir"/*.log; do echo "--- $log" >&2; cat "$log" >&2; done
  exit 1
}

"$server_bin" --port=0 --node_port=0 --http_port=0 --workers=0 --port_file="$dir/ports" \
  --journal="$dir/journal" 2> "$dir/server.log" &
pids+=($!)
for _ in $(seq 100); do [[ -s "$dir/ports" ]] && break; sleep 0.1; done
[[ -s "$dir/ports" ]] || fail "the server wrote no port file within 10 s"
clients=$(awk '$1 == "clients" { print $2 }' "$dir/ports")
nodes=$(awk '$1 == "nodes" { print $2 }' "$dir/ports")

"$producer_bin" --server="127.0.0.1:$clients" --tasks=20 --sleep_ms=10 \
  --label=run-1 > "$dir/producer.out" 2> "$dir/producer.log" ||
  fail "the producer failed"
grep -q "added 20 tasks" "$dir/producer.out" || fail "producer: $(cat "$dir/producer.out")"
# The producer is gone, no worker exists: all 20 wait in the journal.
"$ctl_bin" --server="127.0.0.1:$clients" list --label=run-1 --state=queued \
  --json > "$dir/queued.json"
[[ $(count_ids "$dir/queued.json") -eq 20 ]] ||
  fail "not 20 queued: $(cat "$dir/queued.json")"

"$node_bin" --connect="127.0.0.1:$nodes" --slots=2 2> "$dir/node.log" &
pids+=($!)
done_count=0
for _ in $(seq 300); do
  "$ctl_bin" --server="127.0.0.1:$clients" list --label=run-1 \
    --state=completed --json > "$dir/completed.json"
  done_count=$(count_ids "$dir/completed.json")
  [[ $done_count -eq 20 ]] && break
  sleep 0.1
done
[[ $done_count -eq 20 ]] || fail "$done_count of 20 completed within 30 s"
"$ctl_bin" --server="127.0.0.1:$clients" status > "$dir/status.out"
grep -q "completed" "$dir/status.out" || fail "status: $(cat "$dir/status.out")"
echo "demo_commands_test: 20 tasks added by a producer that exited, run by a node"

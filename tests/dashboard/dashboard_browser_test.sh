#!/usr/bin/env bash
# Starts the stock queue server with its dashboard, a worker node and the
# demo workload, then drives the dashboard in Debian's Chromium with
# dashboard_browser_test.js, and an in-process queue's dashboard
# (in_process_queue). Arguments: the paths of queue_server, demo_node,
# demo_workload, in_process_queue and the script. Screenshots and the processes' logs go to
# $TEST_UNDECLARED_OUTPUTS_DIR. Every process it starts is stopped on exit.
set -euo pipefail
server_bin="$1" node_bin="$2" workload_bin="$3" in_process_bin="$4" script="$5"
chromium=/usr/bin/chromium
playwright=/var/cache/taskqueue/browser/node_modules/playwright-core
for needed in "$chromium" "$playwright"; do
  [[ -e "$needed" ]] || { echo "dashboard_browser_test: no $needed (tools/setup.sh installs it)" >&2; exit 1; }
done
dir="${TEST_TMPDIR:-$(mktemp -d)}/dashboard"
out="${TEST_UNDECLARED_OUTPUTS_DIR:-$dir}"
rm -rf "$dir" && mkdir -p "$dir" "$out"
# Chromium's profile and temporary files: a short path of its own, since its
# sockets there must fit a Unix socket address (108 bytes), which Bazel's
# TEST_TMPDIR does not.
browser_dir="$(mktemp -d /tmp/tq-browser.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$browser_dir"
}
trap cleanup EXIT
fail() {
  echo "dashboard_browser_test: $*" >&2
  for log in "$dir"/*.log; do echo "--- $log" >&2; tail -n 50 "$log" >&2; done
  exit 1
}

"$server_bin" --workers=2 --port=0 --node_port=0 --http_port=0 --http_token=test-token \
  --journal="$dir/journal" --port_file="$dir/ports" 2> "$dir/server.log" &
pids+=($!)
for _ in $(seq 300); do [[ -s "$dir/ports" ]] && break; sleep 0.1; done
[[ -s "$dir/ports" ]] || fail "the server wrote no port file within 30 s"
clients=$(awk '$1 == "clients" { print $2 }' "$dir/ports")
nodes=$(awk '$1 == "nodes" { print $2 }' "$dir/ports")
http=$(awk '$1 == "http" { print $2 }' "$dir/ports")
"$node_bin" --connect="127.0.0.1:$nodes" --slots=2 --name=browser-node 2> "$dir/node.log" &
pids+=($!)
"$in_process_bin" "$dir/in_process_port" 600 2> "$dir/in_process.log" &
pids+=($!)
for _ in $(seq 300); do [[ -s "$dir/in_process_port" ]] && break; sleep 0.1; done
[[ -s "$dir/in_process_port" ]] || fail "the in-process queue wrote no port within 30 s"
# Longer than the browser's part can take: the test stops it.
"$workload_bin" --server="127.0.0.1:$clients" --seconds=600 --interval_ms=200 \
  > "$dir/workload.out" 2> "$dir/workload.log" &
pids+=($!)

export HOME="$browser_dir/home" TMPDIR="$browser_dir/tmp"
mkdir -p "$HOME" "$TMPDIR"
DASHBOARD_URL="http://127.0.0.1:$http/" DASHBOARD_TOKEN=test-token \
  IN_PROCESS_URL="http://127.0.0.1:$(cat "$dir/in_process_port")/" \
  SCREENSHOTS="$out" CHROMIUM="$chromium" PLAYWRIGHT_CORE="$playwright" \
  timeout 240 node "$script" || fail "the browser test failed (see above)"
cp "$dir"/*.log "$out/" 2> /dev/null || true

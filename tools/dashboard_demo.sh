#!/usr/bin/env bash
# The queue server with its dashboard and a sample workload, in one command:
#   tools/dashboard_demo.sh            # then open http://127.0.0.1:7080/
# Starts the stock server (2 local workers, the dashboard on 7080 with the
# write token "demo", clients and worker nodes on free ports), a worker node
# of 2 slots
# and demo_workload, which adds a few tasks every 250 ms (some fail, to be
# retried from the page). The journal lives in a temporary directory. Ctrl-C
# stops all three. Flags: --http_port=P, --seconds=N (stop after N seconds).
set -euo pipefail
cd "$(dirname "$0")/.."

http_port=7080
seconds=0
for arg in "$@"; do
  case "$arg" in
    --http_port=*) http_port="${arg#*=}" ;;
    --seconds=*) seconds="${arg#*=}" ;;
    *) echo "dashboard_demo.sh: unknown argument $arg (--http_port=P, --seconds=N)" >&2; exit 2 ;;
  esac
done

tools/setup.sh
bazel build //tools/queue_server:queue_server //tools/queue_server:demo_node \
  //tools/queue_server:demo_workload
bin=bazel-bin/tools/queue_server
dir="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$bin/queue_server" --workers=2 --port=0 --node_port=0 --http_port="$http_port" \
  --http_token=demo --journal="$dir/journal" --port_file="$dir/ports" 2> "$dir/server.log" &
pids+=($!)
for _ in $(seq 100); do [[ -s "$dir/ports" ]] && break; sleep 0.1; done
if [[ ! -s "$dir/ports" ]]; then
  echo "dashboard_demo.sh: the server did not start; its log:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi
clients=$(awk '$1 == "clients" { print $2 }' "$dir/ports")
nodes=$(awk '$1 == "nodes" { print $2 }' "$dir/ports")
http=$(awk '$1 == "http" { print $2 }' "$dir/ports")
"$bin/demo_node" --connect="127.0.0.1:$nodes" --slots=2 --name=demo-node 2> "$dir/node.log" &
pids+=($!)
"$bin/demo_workload" --server="127.0.0.1:$clients" --seconds="$seconds" &
pids+=($!)
echo "dashboard: http://127.0.0.1:$http/  (write token: demo; Ctrl-C stops)"
wait "${pids[-1]}"

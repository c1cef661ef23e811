// The JSON of what a queue server shows: one format for `taskqueue_ctl
// --json` and the server's HTTP API (/api/status, /api/tasks), so a script
// written against one reads the other.
//
//   std::printf("%s\n", TaskJson(client.show(id)).c_str());
//
// Objects with fixed keys; byte fields (arguments, results) as lower-case
// hex; times as milliseconds since the Unix epoch (0: not yet). Strings are
// escaped for JSON (quotes, backslashes, control characters); bytes above
// 0x7f pass through, as UTF-8 does.
#ifndef TASKQUEUE_ACTORS_SERVER_TASK_JSON_H_
#define TASKQUEUE_ACTORS_SERVER_TASK_JSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "taskqueue/queue_client.h"
#include "taskqueue/stats.h"

namespace taskqueue::internal {

// `text` as a quoted JSON string.
std::string JsonString(std::string_view text);
// `bytes` as lower-case hex, as the JSON shows arguments and results.
std::string Hex(const std::vector<char>& bytes);

// {"tasks": {state: count...}, "workers", "paused", "completed_since_start",
//  "uptime_ms", "completed_per_second", "nodes": [...]}
std::string StatusJson(const ServerStatus& status);
// A task in an attempt now, and where it runs ("local/3", "node/<name>").
struct RunningTask {
  uint64_t id = 0;
  std::string name;
  int attempt = 0;
  std::string worker;
  int64_t started_ms = 0;
};

// What the dashboard shows beside the status: who runs what, what waits at
// which priority, and the queue's counters and latency histograms since the
// server started (Stats).
struct LiveStatus {
  ServerStatus server;
  // False for an in-process queue: its counts are since it started, and it
  // has no task table (/api/tasks).
  bool journal = true;
  std::vector<RunningTask> running;
  // (priority, queued tasks), highest priority first.
  std::vector<std::pair<int, int64_t>> queued_by_priority;
  Stats stats;
};

// The queue's worker nodes (Stats::nodes) as a status shows them.
std::vector<NodeInfo> NodeInfosOf(const Stats& stats);

// StatusJson's keys and "journal", "running": [...], "queued_by_priority":
// [{"priority", "tasks"}...], "since_start": {"retried", "restarts",
// "cancelled", "dropped", "coalesced", "expired"}, and "queue_wait" and
// "run_time":
// {"count", "p50_ms", "p99_ms", "bounds_ms": [...], "cumulative": [...]}: the
// histograms' cumulative counts at each bound, from which a page computes
// the percentiles of any interval.
std::string LiveStatusJson(const LiveStatus& status);
// {"id", "name", "state", "label", ..., "history": [...]}
std::string TaskJson(const TaskInfo& task);
// [TaskJson...]
std::string TaskListJson(const std::vector<TaskInfo>& tasks);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_TASK_JSON_H_

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

#include <string>
#include <string_view>
#include <vector>

#include "taskqueue/queue_client.h"

namespace taskqueue::internal {

// `text` as a quoted JSON string.
std::string JsonString(std::string_view text);
// `bytes` as lower-case hex, as the JSON shows arguments and results.
std::string Hex(const std::vector<char>& bytes);

// {"tasks": {state: count...}, "workers", "paused", "completed_since_start",
//  "uptime_ms", "completed_per_second", "nodes": [...]}
std::string StatusJson(const ServerStatus& status);
// {"id", "name", "state", "label", ..., "history": [...]}
std::string TaskJson(const TaskInfo& task);
// [TaskJson...]
std::string TaskListJson(const std::vector<TaskInfo>& tasks);

}  // namespace taskqueue::internal

#endif  // TASKQUEUE_ACTORS_SERVER_TASK_JSON_H_
